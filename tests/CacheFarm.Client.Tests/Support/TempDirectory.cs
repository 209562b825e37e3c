namespace CacheFarm.Client.Tests.Support;

/// <summary>A directory under /tmp removed on dispose (short paths: the daemon's Unix socket lives in one).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "cf-test")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A daemon that is still shutting down may hold a file for a moment; /tmp is cleaned eventually.
        }
    }
}
