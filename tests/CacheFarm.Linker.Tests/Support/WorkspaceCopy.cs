using CacheFarm.TestSupport;
namespace CacheFarm.Linker.Tests.Support;

/// <summary>A writable copy of a workspace (the workloads under tests/workloads must never be built in place).</summary>
public static class WorkspaceCopy
{
    public static async Task<string> MakeAsync(string source, string destination)
    {
        Assert.True(Directory.Exists(source), $"{source} is missing");
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var none = new Dictionary<string, string?>();
        (await ProcessRun.RunAsync("/bin/cp", ["-r", source, destination], "/", none)).Succeeded("cp -r " + source);
        (await ProcessRun.RunAsync("/bin/chmod", ["-R", "u+w", destination], "/", none)).Succeeded("chmod " + destination);
        var target = Path.Combine(destination, "target");
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        return destination;
    }

    /// <summary>What "touch a file and rebuild" means to cargo: a newer mtime, the same content.</summary>
    public static void Touch(string file) => File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
}
