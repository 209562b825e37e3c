namespace CacheFarm.TestSupport;

/// <summary>Locates the repository and the published binaries the tests run.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ArtifactsBin => Path.Combine(Root, "artifacts", "bin");

    public static string RustFixture => Path.Combine(Root, "tests", "fixtures", "rust-fixture");

    /// <summary>A crate whose build script compiles C with cc-rs (tests/fixtures/cc-fixture).</summary>
    public static string CcFixture => Path.Combine(Root, "tests", "fixtures", "cc-fixture");

    public static string ClientBinary => Binary("cachefarm");

    public static string DaemonBinary => Binary("cachefarmd");

    /// <summary>A workload under tests/workloads (rust-ws, sys-ws): copy it before building, never build in place.</summary>
    public static string Workload(string name) => Path.Combine(Root, "tests", "workloads", name);

    /// <summary>Path of a published binary; fails the test loudly when the build step did not run.</summary>
    public static string Binary(string name)
    {
        var path = Path.Combine(ArtifactsBin, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{path} is missing: publish first (scripts/test.sh does: dotnet publish src/Daemon and src/Client -c Release -o artifacts/bin)");
        }
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CacheFarm.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CacheFarm.sln not found above " + AppContext.BaseDirectory);
    }
}
