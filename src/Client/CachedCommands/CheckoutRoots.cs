using System.Buffers;
using System.Text;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// The checkout-specific directories of one rustc call (workspace = the working directory, the cargo target
/// directory, the registry a dependency was unpacked in, cargo home) and the rewriting of paths and texts
/// between their real locations and placeholders, so keys and stored outputs do not depend on where a
/// checkout lives.
/// </summary>
public sealed class CheckoutRoots
{
    public const string Workspace = "ws";
    public const string TargetDir = "target";
    public const string Registry = "registry";
    public const string CargoHome = "cargo-home";
    public const string OutDir = "out";
    public const string CompilerShims = "compilers";

    private readonly PathRoot[] _longestFirst;
    private byte[][]? _scanPatterns;

    public CheckoutRoots(string workingDirectory, IEnumerable<PathRoot> roots)
    {
        WorkingDirectory = workingDirectory;
        var distinct = new List<PathRoot>();
        foreach (var root in roots)
        {
            if (root.Path.Length > 1 && !distinct.Exists(r => r.Path == root.Path || r.Name == root.Name))
            {
                distinct.Add(root);
            }
        }
        _longestFirst = [.. distinct.OrderByDescending(r => r.Path.Length)];
    }

    public string WorkingDirectory { get; }

    public IReadOnlyList<PathRoot> Roots => _longestFirst;

    /// <summary>What an output is searched for to learn whether it embeds a root: built once per call, not once per output.</summary>
    public byte[][] ScanPatterns => _scanPatterns ??= BytePatternSearch.Covering(_longestFirst.Select(r => r.Path));

    /// <summary>Finds the roots of a rustc call from its arguments, working directory and cargo's environment.</summary>
    public static CheckoutRoots Detect(RustcArgs args, string workingDirectory, Func<string, string?> env)
    {
        var cwd = Trim(Path.GetFullPath(workingDirectory));
        var roots = new List<PathRoot>();
        var target = TargetDirectory(args, cwd);
        if (target is not null)
        {
            roots.Add(new PathRoot(TargetDir, target));
        }
        var registry = RegistryDirectory(args, env);
        if (registry is not null)
        {
            roots.Add(new PathRoot(Registry, registry));
        }
        else
        {
            roots.Add(new PathRoot(Workspace, cwd));
        }
        var cargoHome = env("CARGO_HOME") is { Length: > 0 } home ? home : env("HOME") is { Length: > 0 } h ? Path.Combine(h, ".cargo") : null;
        if (cargoHome is not null && Path.IsPathRooted(cargoHome))
        {
            roots.Add(new PathRoot(CargoHome, Trim(Path.GetFullPath(cargoHome))));
        }
        var result = new CheckoutRoots(cwd, roots);
        if (args.OutDir is { } outDir && result.Find(Absolute(outDir, cwd)) is null)
        {
            roots.Add(new PathRoot(OutDir, Absolute(outDir, cwd)));
            result = new CheckoutRoots(cwd, roots);
        }
        return result;
    }

    /// <summary>Writes an absolute path under a root as placeholder + rest; relative and foreign paths are returned as they are.</summary>
    public string Normalize(string path)
    {
        if (!path.StartsWith('/'))
        {
            return path;
        }
        var root = Find(path);
        return root is null ? path : root.Placeholder + path[root.Path.Length..];
    }

    /// <summary>Turns a normalized path back into a real one (relative paths from the working directory); null when it names a root this call lacks.</summary>
    public string? Resolve(string normalized)
    {
        if (normalized.StartsWith('\u0001'))
        {
            var end = normalized.IndexOf('\u0001', 1);
            var name = end < 0 ? "" : normalized[1..end];
            var root = Array.Find(_longestFirst, r => r.Name == name);
            return root is null ? null : root.Path + normalized[(end + 1)..];
        }
        return Path.IsPathRooted(normalized) ? normalized : Path.Combine(WorkingDirectory, normalized);
    }

    /// <summary>Replaces every occurrence of a root in a text (a .d file, diagnostics, artifact messages) with its placeholder.</summary>
    public byte[] NormalizeText(ReadOnlySpan<byte> text)
    {
        var patterns = _longestFirst.Select(r => (From: Encoding.UTF8.GetBytes(r.Path), To: Encoding.UTF8.GetBytes(r.Placeholder))).ToArray();
        return Replace(text, patterns, checkBoundaries: true);
    }

    /// <summary>Replaces placeholders with this checkout's roots; <paramref name="jsonEscape"/> escapes them for JSON string bodies.</summary>
    public byte[] ExpandText(ReadOnlySpan<byte> text, bool jsonEscape)
    {
        if (text.IndexOf((byte)1) < 0)
        {
            return text.ToArray();
        }
        var patterns = _longestFirst
            .Select(r => (From: Encoding.UTF8.GetBytes(r.Placeholder), To: Encoding.UTF8.GetBytes(jsonEscape ? JsonEscape(r.Path) : r.Path)))
            .ToArray();
        return Replace(text, patterns, checkBoundaries: false);
    }

    public PathRoot? Find(string absolutePath)
    {
        foreach (var root in _longestFirst)
        {
            if (absolutePath.StartsWith(root.Path, StringComparison.Ordinal)
                && (absolutePath.Length == root.Path.Length || absolutePath[root.Path.Length] == '/'))
            {
                return root;
            }
        }
        return null;
    }

    public PathRoot? Get(string name) => Array.Find(_longestFirst, r => r.Name == name);

    public static string Absolute(string path, string workingDirectory) => Trim(Path.GetFullPath(path, workingDirectory));

    // Cargo passes `-L dependency=<target>/<profile>/deps` (with `<triple>/` before the profile when cross compiling).
    private static string? TargetDirectory(RustcArgs args, string cwd)
    {
        var deps = args.SearchPaths.Find(p => p.Kind == "dependency")?.Path ?? args.OutDir;
        if (deps is null)
        {
            return null;
        }
        deps = Absolute(deps, cwd);
        if (Path.GetFileName(deps) != "deps")
        {
            return null;
        }
        var profile = Path.GetDirectoryName(deps);
        var target = profile is null ? null : Path.GetDirectoryName(profile);
        if (target is not null && args.Target is { } triple && Path.GetFileName(target) == Path.GetFileNameWithoutExtension(triple))
        {
            target = Path.GetDirectoryName(target);
        }
        return target is null or "/" ? null : target;
    }

    // A crate from a registry or directory source: an absolute input inside CARGO_MANIFEST_DIR named <name>-<version>.
    private static string? RegistryDirectory(RustcArgs args, Func<string, string?> env)
    {
        var manifestDir = env("CARGO_MANIFEST_DIR");
        var input = args.Inputs.Count == 1 ? args.Inputs[0] : null;
        if (string.IsNullOrEmpty(manifestDir) || input is null || !input.StartsWith('/') || !input.StartsWith(manifestDir + "/", StringComparison.Ordinal))
        {
            return null;
        }
        return RegistryOf(manifestDir, env);
    }

    /// <summary>The registry or directory source a package was unpacked in: the parent of a manifest directory named &lt;name&gt;-&lt;version&gt;.</summary>
    public static string? RegistryOf(string manifestDir, Func<string, string?> env)
    {
        var expectedName = env("CARGO_PKG_NAME") + "-" + env("CARGO_PKG_VERSION");
        return Path.GetFileName(Trim(manifestDir)) == expectedName ? Path.GetDirectoryName(Trim(manifestDir)) : null;
    }

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private static string JsonEscape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static bool IsNameByte(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
        or (byte)'_' or (byte)'-' or (byte)'.';

    // A path starts at the beginning, after a separator, or glued to a one-letter compiler flag (-I/…, -L/…).
    private static bool StartsPath(ReadOnlySpan<byte> text, int i) =>
        i == 0 || !IsNameByte(text[i - 1])
        || (i >= 2 && text[i - 2] == (byte)'-' && char.IsAsciiLetter((char)text[i - 1]) && (i == 2 || !IsNameByte(text[i - 3])));

    private static byte[] Replace(ReadOnlySpan<byte> text, (byte[] From, byte[] To)[] patterns, bool checkBoundaries)
    {
        var firstBytes = patterns.Where(p => p.From.Length > 0).Select(p => p.From[0]).Distinct().ToArray();
        var output = new ArrayBufferWriter<byte>(text.Length + 64);
        var i = 0;
        while (i < text.Length)
        {
            var next = firstBytes.Length == 0 ? -1 : text[i..].IndexOfAny(firstBytes);
            if (next < 0)
            {
                output.Write(text[i..]);
                break;
            }
            output.Write(text.Slice(i, next));
            i += next;
            var matched = false;
            foreach (var (from, to) in patterns)
            {
                if (from.Length > 0 && text[i..].StartsWith(from)
                    && (!checkBoundaries || (StartsPath(text, i) && (i + from.Length == text.Length || !IsNameByte(text[i + from.Length])))))
                {
                    output.Write(to);
                    i += from.Length;
                    matched = true;
                    break;
                }
            }
            if (!matched)
            {
                output.Write(text.Slice(i, 1));
                i++;
            }
        }
        return output.WrittenSpan.ToArray();
    }
}
