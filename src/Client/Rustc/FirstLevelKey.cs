using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// The first-level (direct-mode) key: everything about a call that is known before rustc reads a source file —
/// format version, toolchain, normalised arguments, extern crates by content, keyed environment, native
/// libraries, linker and target spec. It names the manifest of input-file candidates (see <see cref="InputManifest"/>).
/// </summary>
public static class FirstLevelKey
{
    /// <summary>Bump when the key or the stored entry layout changes meaning.</summary>
    public const string FormatVersion = "cachefarm-rustc/2";

    private static readonly string[] DroppedOptions = ["--out-dir", "--diagnostic-width", "--color"];

    public static async Task<string> ComputeAsync(RustcCall call, CancellationToken cancellationToken)
    {
        var args = call.Args;
        var roots = call.Roots;
        using var key = new CacheKeyBuilder();
        key.Add("format", FormatVersion)
            .Add("toolchain", call.Toolchain.DigestHex)
            .Add("rustc", call.Toolchain.VersionLine)
            .Add("cwd", roots.Normalize(call.WorkingDirectory))
            .Add("roots", string.Join(',', roots.Roots.Select(r => r.Name).Order(StringComparer.Ordinal)))
            .Add("remap", call.RemapPaths ? "on" : "off:" + string.Join(',', roots.Roots.Select(r => r.Name + "=" + r.Path).Order(StringComparer.Ordinal)));
        var cfgs = new List<string>();
        foreach (var option in args.Options)
        {
            if (option.Name == "--cfg")
            {
                cfgs.Add(option.Value ?? "");
            }
            else if (Array.IndexOf(DroppedOptions, option.Name) < 0 && ArgumentText(call, option) is { } text)
            {
                key.Add("arg", text);
            }
        }
        cfgs.Sort(StringComparer.Ordinal);
        foreach (var cfg in cfgs)
        {
            key.Add("cfg", cfg);
        }
        foreach (var (name, value) in KeyedEnvironment.Select(call.Environment, args.Links))
        {
            key.Add("env " + name, roots.NormalizeText(Encoding.UTF8.GetBytes(value)));
        }
        foreach (var file in NativeLibraryFiles.Find(args, roots, call.Toolchain.Host))
        {
            key.Add("native " + roots.Normalize(file), FileDigestText(call, file));
        }
        if (args.Links)
        {
            var linker = args.CodegenValue("linker") ?? "cc";
            key.Add("linker", await LinkerIdentity.ResolveAsync(linker, args, call.Env("PATH"), call.WorkingDirectory, call.MemoDirectory, call.Digests, cancellationToken).ConfigureAwait(false));
        }
        return key.Finish();
    }

    // The option as it enters the key: checkout paths normalised, files named by their content; null drops it.
    private static string? ArgumentText(RustcCall call, RustcOption option)
    {
        var roots = call.Roots;
        var value = option.Value ?? "";
        switch (option.Name)
        {
            case "<input>":
                return "input " + roots.Normalize(value);
            case "-L":
                var searchPath = LibrarySearchPath.Parse(value);
                return searchPath.IsDependencyOnly ? null : $"-L {searchPath.Kind}={roots.Normalize(CheckoutRoots.Absolute(searchPath.Path, call.WorkingDirectory))}";
            case "--extern":
                var crate = ExternCrate.Parse(value);
                var digest = crate.Path is null ? "" : "=" + FileDigestText(call, CheckoutRoots.Absolute(crate.Path, call.WorkingDirectory));
                return $"--extern {crate.Modifiers}:{crate.Name}{digest}";
            case "--remap-path-prefix":
                var eq = value.LastIndexOf('=');
                return eq < 0 ? "--remap-path-prefix " + value : $"--remap-path-prefix {roots.Normalize(value[..eq])}={value[(eq + 1)..]}";
            case "--target":
                return TargetText(call, value);
            case "-C":
                return CodegenText(call, value);
            default:
                return option.Value is null ? option.Name : option.Name + " " + value;
        }
    }

    // A target spec file is keyed by content. rustc reads `name.json` from RUST_TARGET_PATH for a name that is
    // not built in; when the name is built in, the extra digest only costs a miss, never a stale hit.
    private static string TargetText(RustcCall call, string value)
    {
        if (value.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return $"--target {Path.GetFileName(value)}@{FileDigestText(call, CheckoutRoots.Absolute(value, call.WorkingDirectory))}";
        }
        var spec = (call.Env("RUST_TARGET_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(CheckoutRoots.Absolute(dir, call.WorkingDirectory), value + ".json"))
            .FirstOrDefault(File.Exists);
        return spec is null ? "--target " + value : $"--target {value}@{FileDigestText(call, spec)}";
    }

    private static string CodegenText(RustcCall call, string value)
    {
        var eq = value.IndexOf('=');
        var name = (eq < 0 ? value : value[..eq]).Replace('_', '-');
        var setting = eq < 0 ? null : value[(eq + 1)..];
        switch (name)
        {
            case "incremental":
                // Where the incremental state lives does not change the output.
                return "-C incremental";
            case "linker" or "link-arg" or "link-args" or "profile-use" or "profile-sample-use":
                var text = Encoding.UTF8.GetString(call.Roots.NormalizeText(Encoding.UTF8.GetBytes(setting ?? "")));
                return $"-C {name}={text}{ReferencedFileDigests(call, setting ?? "")}";
            default:
                return setting is null ? "-C " + name : $"-C {name}={setting}";
        }
    }

    // Linker scripts, response files, libraries and objects named in link arguments change the output through their contents.
    private static string ReferencedFileDigests(RustcCall call, string setting)
    {
        var sb = new StringBuilder();
        foreach (var file in LinkArgumentFiles.Find(setting, call.Args, call.WorkingDirectory, call.Toolchain.Host))
        {
            sb.Append(" @").Append(call.Roots.Normalize(file)).Append('=').Append(FileDigestText(call, file));
        }
        return sb.ToString();
    }

    private static string FileDigestText(RustcCall call, string path) =>
        call.Digests.TryGet(path, out var digest) ? digest.ToString() : "missing";
}
