using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CacheFarm.Daemon.Configuration;
using Tomlyn;
using Tomlyn.Model;

namespace CacheFarm.Daemon.Security;

/// <summary>The bearer tokens the daemon accepts, stored as SHA-256 hashes (a leaked file reveals no token).</summary>
/// <remarks>
/// Token file (TOML), one table per token:
/// <code>
/// [[token]]
/// name = "ci-main"
/// sha256 = "…64 hex…"          # sha256 of the token, e.g. printf %s "$TOKEN" | sha256sum
/// scopes = ["read", "write-blobs", "write-entries"]
/// namespaces = ["default"]      # or ["*"]
/// rate_limit = 500              # requests per second, optional
/// </code>
/// </remarks>
public sealed class TokenTable
{
    private readonly Dictionary<string, TokenGrant> _byHash;

    private TokenTable(Dictionary<string, TokenGrant> byHash) => _byHash = byHash;

    public int Count => _byHash.Count;

    public TokenGrant? Find(string token)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        return _byHash.GetValueOrDefault(hash);
    }

    public static TokenTable Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new SettingsException($"cannot read tokens file {path}: {e.Message}");
        }
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text, (TomlSerializerOptions?)null) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new SettingsException($"tokens file {path} is invalid: {e.Message}");
        }
        var byHash = new Dictionary<string, TokenGrant>(StringComparer.Ordinal);
        if (!root.TryGetValue("token", out var tokens) || tokens is not TomlTableArray array)
        {
            throw new SettingsException($"tokens file {path} has no [[token]] tables");
        }
        foreach (var table in array)
        {
            var name = Text(table, "name", path);
            var hash = Text(table, "sha256", path).ToLowerInvariant();
            if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            {
                throw new SettingsException($"{path}: token '{name}': sha256 must be 64 hex characters");
            }
            var scopes = Scopes.None;
            foreach (var scopeName in List(table, "scopes", name, path))
            {
                scopes |= ScopeNames.TryParse(scopeName, out var scope)
                    ? scope
                    : throw new SettingsException($"{path}: token '{name}': unknown scope '{scopeName}' (read, write-blobs, write-entries, admin)");
            }
            var namespaces = List(table, "namespaces", name, path);
            IReadOnlySet<string>? allowed = namespaces.Contains("*") ? null : namespaces.ToHashSet(StringComparer.Ordinal);
            var limiter = table.TryGetValue("rate_limit", out var rate)
                ? new TokenRateLimiter(Convert.ToDouble(rate, CultureInfo.InvariantCulture))
                : null;
            if (!byHash.TryAdd(hash, new TokenGrant(name, scopes, allowed, limiter)))
            {
                throw new SettingsException($"{path}: token '{name}' repeats another token's hash");
            }
        }
        return new TokenTable(byHash);
    }

    private static string Text(TomlTable table, string key, string path) =>
        table.TryGetValue(key, out var value) && value is string s && s.Length > 0
            ? s
            : throw new SettingsException($"{path}: every [[token]] needs '{key}'");

    private static List<string> List(TomlTable table, string key, string name, string path) =>
        table.TryGetValue(key, out var value) && value is TomlArray array && array.Count > 0
            ? array.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToList()
            : throw new SettingsException($"{path}: token '{name}' needs a non-empty '{key}' list");
}
