using System.Security.Cryptography;
using System.Text;

namespace CacheFarm.TestSupport;

/// <summary>Writes a daemon token file: each token stored only as its SHA-256.</summary>
public static class TokenFile
{
    public sealed record Token(string Name, string Secret, string[] Scopes, string[] Namespaces, double? RateLimit = null);

    public static string Write(string directory, params Token[] tokens)
    {
        var text = new StringBuilder();
        foreach (var token in tokens)
        {
            text.AppendLine("[[token]]")
                .AppendLine($"name = \"{token.Name}\"")
                .AppendLine($"sha256 = \"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Secret)))}\"")
                .AppendLine($"scopes = [{string.Join(", ", token.Scopes.Select(s => $"\"{s}\""))}]")
                .AppendLine($"namespaces = [{string.Join(", ", token.Namespaces.Select(s => $"\"{s}\""))}]");
            if (token.RateLimit is { } rate)
            {
                text.AppendLine($"rate_limit = {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }
        var path = Path.Combine(directory, "tokens.toml");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
