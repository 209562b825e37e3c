namespace CacheFarm.Daemon.Security;

/// <summary>What one bearer token grants: scopes, the namespaces they apply to, and an optional request rate.</summary>
public sealed class TokenGrant(string name, Scopes scopes, IReadOnlySet<string>? namespaces, TokenRateLimiter? rateLimiter)
{
    /// <summary>The token's name in the token file (logged instead of the token).</summary>
    public string Name { get; } = name;

    public Scopes Scopes { get; } = scopes;

    /// <summary>Namespaces the token may use; null means every namespace.</summary>
    public IReadOnlySet<string>? Namespaces { get; } = namespaces;

    public TokenRateLimiter? RateLimiter { get; } = rateLimiter;

    public bool Allows(Scopes scope) => (Scopes & scope) == scope;

    public bool AllowsNamespace(string @namespace) => Namespaces is null || Namespaces.Contains(@namespace);
}
