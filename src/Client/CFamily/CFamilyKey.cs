using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Tracing;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// The first-level key of a C or C++ compile: the driver (digest, version, the name it was called by), the
/// working directory and every argument with checkout paths relative to the roots, and the prefix maps the
/// wrapper adds. It names the manifest of traced inputs: the source, every header, the programs the driver ran
/// and the variables they read.
/// </summary>
public static class CFamilyKey
{
    public static string FirstLevel(CompilerIdentity identity, string compiler, IReadOnlyList<string> args, IReadOnlyList<string> addedArgs, CheckoutRoots roots)
    {
        using var key = new CacheKeyBuilder();
        key.Add("format", CFamilyCompile.FormatVersion)
            .Add("compiler", identity.DigestHex)
            .Add("version", identity.VersionLine)
            .Add("driver", Path.GetFileName(compiler))
            .Add("cwd", roots.Normalize(roots.WorkingDirectory))
            .Add("roots", string.Join(',', roots.Roots.Select(r => r.Name).Order(StringComparer.Ordinal)));
        foreach (var arg in args)
        {
            key.Add("arg", TracedVariables.Normalize(arg, roots));
        }
        foreach (var arg in addedArgs)
        {
            key.Add("added", TracedVariables.Normalize(arg, roots));
        }
        return key.Finish();
    }
}
