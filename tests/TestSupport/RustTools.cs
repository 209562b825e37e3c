namespace CacheFarm.TestSupport;

/// <summary>The real cargo and rustc the tests drive (PATH, then ~/.cargo/bin); absent tools fail the test loudly.</summary>
public static class RustTools
{
    public static string BinDirectory { get; } = Find();

    public static string Cargo => Path.Combine(BinDirectory, "cargo");

    public static string Rustc => Path.Combine(BinDirectory, "rustc");

    /// <summary>The toolchain's own rustc (not the rustup proxy), as cargo passes it to RUSTC_WRAPPER.</summary>
    public static string ToolchainRustc { get; } = ResolveToolchainRustc();

    /// <summary>PATH for child processes: the toolchain first, then the test process's own.</summary>
    public static string SearchPath => BinDirectory + ":" + Environment.GetEnvironmentVariable("PATH");

    private static string ResolveToolchainRustc()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Rustc, "--print sysroot") { RedirectStandardOutput = true })!;
        var sysroot = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        var rustc = Path.Combine(sysroot, "bin", "rustc");
        return File.Exists(rustc) ? rustc : throw new InvalidOperationException($"rustc --print sysroot gave {sysroot}, which has no bin/rustc");
    }

    private static string Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cargo", "bin"));
        foreach (var dir in candidates)
        {
            if (File.Exists(Path.Combine(dir, "cargo")) && File.Exists(Path.Combine(dir, "rustc")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException("cargo and rustc were not found on PATH or in ~/.cargo/bin: these tests need a real Rust toolchain");
    }
}
