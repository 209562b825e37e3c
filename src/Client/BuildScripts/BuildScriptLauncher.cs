using System.Text;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.BuildScripts;

/// <summary>
/// Routes cargo's run of a build script through cachefarm without changing cargo: once rustc has written the
/// script's binary, the binary moves aside (<c>.cachefarm-script</c>) and a two-line launcher takes its name,
/// a <c>#!</c> line naming cachefarm. Cargo hard-links and runs the launcher as it would the binary, and the
/// kernel hands it to cachefarm, which looks the run up and runs the real binary only on a miss.
/// </summary>
public static class BuildScriptLauncher
{
    /// <summary>The argument the <c>#!</c> line passes, with the binary's file name after the colon.</summary>
    public const string Marker = "--cachefarm-build-script";

    public const string RealBinarySuffix = ".cachefarm-script";

    // Linux reads at most 256 bytes of a #! line (BINPRM_BUF_SIZE); a longer one would be cut.
    private const int ShebangLimit = 255;

    public static bool IsLauncherCall(string[] args) => args.Length >= 2 && args[0].StartsWith(Marker + ":", StringComparison.Ordinal);

    /// <summary>True for rustc's compile of a build script into an executable.</summary>
    public static bool CompilesBuildScript(RustcArgs args) =>
        args.CrateName?.StartsWith("build_script_", StringComparison.Ordinal) == true && args.CrateTypes.Contains("bin") && args.EmitsKind("link");

    /// <summary>
    /// After rustc compiled a build script into <paramref name="outputDirectory"/>, puts the launcher in its place (unless
    /// build scripts are not to be cached), so cargo's later run of it goes through the cache.
    /// </summary>
    public static void InstallAfterCompile(RustcArgs args, string outputDirectory, Func<string, string?> env)
    {
        if (CompilesBuildScript(args) && BuildScriptSettings.CacheBuildScripts(env) && Environment.ProcessPath is { } cachefarm)
        {
            Install(Path.Combine(outputDirectory, args.OutputStem), cachefarm);
        }
    }

    /// <summary>Puts the launcher in place of the build-script binary at <paramref name="binary"/>; false when it cannot.</summary>
    public static bool Install(string binary, string cachefarm)
    {
        var line = $"#!{cachefarm} {Marker}:{Path.GetFileName(binary)}\n";
        if (Encoding.UTF8.GetByteCount(line) > ShebangLimit || cachefarm.Contains(' ', StringComparison.Ordinal) || !File.Exists(binary))
        {
            return false;
        }
        var temp = binary + ".cachefarm-launcher.tmp";
        try
        {
            File.WriteAllText(temp, line);
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Move(binary, binary + RealBinarySuffix, overwrite: true);
            File.Move(temp, binary, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            // The binary may already have moved aside: put it back, so cargo runs it directly.
            if (!File.Exists(binary) && File.Exists(binary + RealBinarySuffix))
            {
                File.Move(binary + RealBinarySuffix, binary);
            }
            return false;
        }
    }

    /// <summary>The real binary a launcher call stands for: <c>args[0]</c> is the marker, <c>args[1]</c> the path cargo ran.</summary>
    public static string RealBinary(string[] args) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(args[1]))!, args[0][(Marker.Length + 1)..] + RealBinarySuffix);
}
