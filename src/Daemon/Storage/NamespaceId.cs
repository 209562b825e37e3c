using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace CacheFarm.Daemon.Storage;

/// <summary>A namespace name plus the fixed-width hash of it that storage keys embed.</summary>
/// <remarks>
/// Keys carry a hash rather than the name so every key has one width; 15 bytes of SHA-256 keep a
/// collision (which would let namespaces see each other) out of reach.
/// </remarks>
public sealed class NamespaceId
{
    public const int IdBytes = 15;
    public const string DefaultName = "default";
    public const int MaxNameLength = 128;

    private static readonly ConcurrentDictionary<string, NamespaceId> Known = new(StringComparer.Ordinal);

    private readonly byte[] _id;

    private NamespaceId(string name)
    {
        Name = name;
        _id = SHA256.HashData(Encoding.UTF8.GetBytes("cachefarm-namespace:" + name))[..IdBytes];
    }

    public string Name { get; }

    public ReadOnlySpan<byte> Id => _id;

    public static NamespaceId Default { get; } = Get(DefaultName);

    /// <summary>Resolves a request's namespace field; empty means <c>default</c>.</summary>
    public static bool TryParse(string? name, out NamespaceId id, out string error)
    {
        id = Default;
        error = string.Empty;
        if (string.IsNullOrEmpty(name))
        {
            return true;
        }
        if (name.Length > MaxNameLength)
        {
            error = $"namespace must be at most {MaxNameLength} characters";
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
            {
                error = "namespace may contain only ASCII letters, digits, '-', '_', '.' and '/'";
                return false;
            }
        }
        if (name.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            error = "namespace segments between '/' must be non-empty and not '.' or '..'";
            return false;
        }
        id = Get(name);
        return true;
    }

    private static NamespaceId Get(string name) =>
        Known.Count < 4096 ? Known.GetOrAdd(name, static n => new NamespaceId(n)) : Known.TryGetValue(name, out var id) ? id : new NamespaceId(name);

    public override string ToString() => Name;
}
