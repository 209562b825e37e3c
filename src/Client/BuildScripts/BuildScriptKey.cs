using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.BuildScripts;

/// <summary>
/// The first-level key of a build-script run: what is known before it runs. The script's binary by content
/// (its code and every crate linked into it), its arguments, its working directory and the variables cargo
/// gives it, all relative to the checkout roots, and whether the compilers it runs remap those roots
/// (see <see cref="CompilerPathRemap"/>). It names the manifest of traced inputs.
/// </summary>
public static class BuildScriptKey
{
    public static string FirstLevel(BuildScriptCall call, FileDigestMemo digests, bool remapsCompilerPaths)
    {
        if (!digests.TryGet(call.Binary, out var binary))
        {
            throw new FileNotFoundException("the build script binary is missing", call.Binary);
        }
        var roots = call.Roots;
        using var key = new CacheKeyBuilder();
        key.Add("format", BuildScriptRun.FormatVersion)
            .Add("script", binary.ToString())
            .Add("cwd", roots.Normalize(call.WorkingDirectory))
            .Add("roots", string.Join(',', roots.Roots.Select(r => r.Name).Order(StringComparer.Ordinal)))
            .Add("compiler-remap", remapsCompilerPaths ? "on" : "off");
        foreach (var arg in call.Args)
        {
            key.Add("arg", arg);
        }
        foreach (var (name, value) in BuildScriptEnvironment.FirstLevel(call.Environment, roots))
        {
            key.Add("env " + name, value);
        }
        return key.Finish();
    }
}
