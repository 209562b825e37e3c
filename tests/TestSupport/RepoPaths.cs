namespace CacheFarm.TestSupport;

/// <summary>Locates the repository and the published binaries the tests run.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ArtifactsBin => Path.Combine(Root, "artifacts", "bin");

    /// <summary>The shared workloads folder (beside the repository, or CACHEFARM_SHARED).</summary>
    public static string Shared => Environment.GetEnvironmentVariable("CACHEFARM_SHARED") is { Length: > 0 } shared
        ? shared
        : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

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
