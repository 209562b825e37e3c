using CacheFarm.TestSupport;

namespace CacheFarm.Linker.Tests.Support;

/// <summary>The real cargo and rustc (PATH, then ~/.cargo/bin) and the linkers the tests need; anything missing fails the test with how to get it.</summary>
public static class RustToolchain
{
    public static string BinDirectory => RustTools.BinDirectory;

    public static string Cargo => RustTools.Cargo;

    public static string Rustc => RustTools.Rustc;

    /// <summary>PATH for child processes: the toolchain, then the system directories the linkers live in.</summary>
    public static string SearchPath => $"{BinDirectory}:/usr/local/bin:/usr/bin:/bin";

    /// <summary>Fails unless the program is installed (the tests use real mold, ld.lld, GNU ld, readelf and Chromium).</summary>
    public static string Require(string program, string package)
    {
        foreach (var dir in new[] { "/usr/local/bin", "/usr/bin", "/bin" })
        {
            var path = Path.Combine(dir, program);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new InvalidOperationException($"{program} is not installed: apt-get install {package} (scripts/setup.sh does)");
    }
}
