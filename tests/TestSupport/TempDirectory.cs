namespace CacheFarm.TestSupport;

/// <summary>A private temporary directory, deleted with the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "cachefarm-test")
    {
        // Short paths: a Unix socket path must stay under 108 bytes.
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
            // A process still writing (a killed daemon's last flush) must not fail the test.
        }
    }
}
