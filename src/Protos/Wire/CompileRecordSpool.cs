using CacheFarm.Protos.V1;
using Google.Protobuf;

namespace CacheFarm.Protos.Wire;

/// <summary>
/// Compile records left in the data directory by wrapper calls that did not wait for a starting daemon: the
/// daemon counts them once it runs and removes each file it took. A file is written whole (a temporary name,
/// then a rename), so a reader never takes half of one.
/// </summary>
public static class CompileRecordSpool
{
    private const string Extension = ".record";

    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    public static string DirectoryIn(string dataDirectory) => Path.Combine(dataDirectory, "pending-records");

    /// <summary>Leaves one record for the daemon; false when it could not be written (the record is then lost, as an unsent one is).</summary>
    public static bool TryWrite(string dataDirectory, CompileRecord record)
    {
        var directory = DirectoryIn(dataDirectory);
        var name = $"{Environment.ProcessId}-{Random.Shared.Next():x8}";
        var temp = Path.Combine(directory, name + ".tmp");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(temp, record.ToByteArray());
            File.Move(temp, Path.Combine(directory, name + Extension));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            return false;
        }
    }

    /// <summary>Takes every record waiting, removing its file; a file that does not parse is removed and skipped.</summary>
    public static List<CompileRecord> Take(string dataDirectory)
    {
        var taken = new List<CompileRecord>();
        var directory = DirectoryIn(dataDirectory);
        if (!Directory.Exists(directory))
        {
            return taken;
        }
        // A wrapper killed between its write and its rename leaves a temporary file no one else will take.
        foreach (var path in Directory.EnumerateFiles(directory, "*.tmp"))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > AbandonedAfter)
            {
                TryDelete(path);
            }
        }
        foreach (var path in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            try
            {
                var bytes = File.ReadAllBytes(path);
                File.Delete(path);
                taken.Add(CompileRecord.Parser.ParseFrom(bytes));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
            {
                // Gone meanwhile, unreadable or not a record: nothing to count.
                TryDelete(path);
            }
        }
        return taken;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next pass.
        }
    }
}
