using System.Text.Json;

namespace CacheFarm.Client.Cargo;

/// <summary>
/// The final binaries of a build, from cargo's JSON messages (<c>--message-format json</c>): the executables and
/// shared or static libraries of the workspace's own packages.
/// </summary>
public sealed class CargoArtifacts(IReadOnlyCollection<string> memberIds)
{
    private static readonly string[] LibraryKinds = ["cdylib", "dylib", "staticlib"];

    private readonly HashSet<string> _files = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Files => _files;

    /// <summary>Takes one line of cargo's output; lines that are not artifact messages are ignored.</summary>
    public void Add(string line)
    {
        if (!line.StartsWith('{') || !line.Contains("\"compiler-artifact\"", StringComparison.Ordinal))
        {
            return;
        }
        try
        {
            using var message = JsonDocument.Parse(line);
            var root = message.RootElement;
            if (root.GetProperty("reason").GetString() != "compiler-artifact" || !memberIds.Contains(root.GetProperty("package_id").GetString() ?? ""))
            {
                return;
            }
            if (root.TryGetProperty("executable", out var executable) && executable.GetString() is { } path)
            {
                _files.Add(path);
                return;
            }
            var kinds = root.GetProperty("target").GetProperty("kind").EnumerateArray().Select(k => k.GetString()).ToList();
            if (kinds.Any(k => LibraryKinds.Contains(k)))
            {
                foreach (var file in root.GetProperty("filenames").EnumerateArray())
                {
                    if (file.GetString() is { } name && (name.EndsWith(".so", StringComparison.Ordinal) || name.EndsWith(".a", StringComparison.Ordinal)))
                    {
                        _files.Add(name);
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not a message of the shape cargo documents: not a binary to count.
        }
    }

    /// <summary>The sizes of the binaries that exist, by file name.</summary>
    public Dictionary<string, long> Sizes() =>
        _files.Select(f => new FileInfo(f)).Where(f => f.Exists).ToDictionary(f => f.Name, f => f.Length, StringComparer.Ordinal);
}
