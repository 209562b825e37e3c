using System.Diagnostics;
using System.Text.Json;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Linker;

/// <summary>
/// linker-timings.json in the data directory. Readers take the file as it is (it is replaced by rename); writers
/// (the wrappers of a parallel build finishing links) update it under an flock so no sample is lost to a race.
/// </summary>
public static class LinkerLearningStore
{
    public const string FileName = "linker-timings.json";

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(2);

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static LinkerLearning Read(string dataDirectory)
    {
        try
        {
            var path = PathIn(dataDirectory);
            return File.Exists(path)
                ? JsonSerializer.Deserialize(File.ReadAllBytes(path), LinkerJsonContext.Default.LinkerLearning) is { Format: LinkerLearning.CurrentFormat } read ? read : new LinkerLearning()
                : new LinkerLearning();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return new LinkerLearning();
        }
    }

    /// <summary>Applies <paramref name="change"/> under the lock; gives up quietly (losing this update) when the lock stays taken.</summary>
    public static async Task UpdateAsync(string dataDirectory, Func<LinkerLearning, LinkerLearning> change, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        using var held = await TryLockAsync(PathIn(dataDirectory) + ".lock", cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return;
        }
        var updated = change(Read(dataDirectory));
        MemoFile.TryWrite(PathIn(dataDirectory), JsonSerializer.SerializeToUtf8Bytes(updated, LinkerJsonContext.Default.LinkerLearning));
    }

    // flock through FileShare.None: the kernel releases it if the holder dies.
    private static async Task<FileStream?> TryLockAsync(string path, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockWait)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
