namespace CacheFarm.Client.Tests.Support;

/// <summary>Where the repository, the fixtures and the published binaries are; missing binaries fail the test with the command that makes them.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string RustFixture => Path.Combine(Root, "tests", "fixtures", "rust-fixture");

    public static string ClientBinary => Published("cachefarm", "src/Client");

    public static string DaemonBinary => Published("cachefarmd", "src/Daemon");

    private static string Published(string name, string project)
    {
        var path = Path.Combine(Root, "artifacts", "bin", name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: the end-to-end tests run the published binaries. Run: cd {Root} && dotnet publish {project} -c Release -o artifacts/bin");
        }
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "CacheFarm.sln")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException("CacheFarm.sln not found above " + AppContext.BaseDirectory);
    }
}
