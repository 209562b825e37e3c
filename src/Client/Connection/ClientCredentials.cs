namespace CacheFarm.Client.Connection;

/// <summary>How the client proves itself and checks the daemon: bearer token, TLS trust and client certificate, entry key.</summary>
public sealed record ClientCredentials
{
    /// <summary>Bearer token sent with every call (<c>CACHEFARM_TOKEN</c>).</summary>
    public string? Token { get; init; }

    /// <summary>PEM CA the daemon's certificate must chain to (<c>CACHEFARM_TLS_CA</c>); null trusts the system store.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>PEM client certificate and key for mutual TLS (<c>CACHEFARM_TLS_CERT</c>, <c>CACHEFARM_TLS_KEY</c>).</summary>
    public string? TlsCertFile { get; init; }

    public string? TlsKeyFile { get; init; }

    /// <summary>Secret for HMAC-signed entries (<c>CACHEFARM_ENTRY_KEY</c>, or <c>CACHEFARM_ENTRY_KEY_FILE</c>).</summary>
    public byte[]? EntryKey { get; init; }

    public static ClientCredentials None { get; } = new();

    public static ClientCredentials FromEnvironment(Func<string, string?> env)
    {
        var keyText = env("CACHEFARM_ENTRY_KEY");
        if (string.IsNullOrEmpty(keyText) && env("CACHEFARM_ENTRY_KEY_FILE") is { Length: > 0 } keyFile)
        {
            keyText = File.ReadAllText(keyFile).Trim();
        }
        return new ClientCredentials
        {
            Token = Empty(env("CACHEFARM_TOKEN")),
            TlsCaFile = Empty(env("CACHEFARM_TLS_CA")),
            TlsCertFile = Empty(env("CACHEFARM_TLS_CERT")),
            TlsKeyFile = Empty(env("CACHEFARM_TLS_KEY")),
            EntryKey = string.IsNullOrEmpty(keyText) ? null : System.Text.Encoding.UTF8.GetBytes(keyText),
        };
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
