using CacheFarm.Client.Connection;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Writes a hit's outputs into the output directory: every blob lands in a temp file next to its target, and
/// only when all arrived intact are they renamed into place (so a failed restore leaves nothing half-written).
/// Outputs stored with placeholders (dep-info, a build script's texts) get this checkout's paths back.
/// </summary>
public static class EntryRestorer
{
    /// <summary>Restores every output under <paramref name="outputDirectory"/>; returns the bytes downloaded. Throws when a blob is missing or damaged.</summary>
    public static Task<long> RestoreAsync(CacheClient client, Entry entry, string outputDirectory, CheckoutRoots roots, FileDigestMemo digests, CancellationToken cancellationToken) =>
        RestoreAsync(client, entry, path => SafeOutputPath.Resolve(outputDirectory, path), roots, digests, cancellationToken);

    /// <summary>
    /// Restores every output where <paramref name="target"/> places its stored path (null refuses the path, and the
    /// whole restore); returns the bytes downloaded. Throws when a blob is missing or damaged.
    /// </summary>
    public static async Task<long> RestoreAsync(CacheClient client, Entry entry, Func<string, string?> target, CheckoutRoots roots, FileDigestMemo digests, CancellationToken cancellationToken)
    {
        var outputs = new List<PendingOutput>();
        foreach (var output in entry.Outputs)
        {
            if (!ContentDigest.TryParse(output.Digest, out var digest, out var error))
            {
                throw new InvalidDataException("entry output " + output.Path + ": " + error);
            }
            var path = target(output.Path) ?? throw new UnsafeOutputPathException(output.Path);
            var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.cf-{Environment.ProcessId}.tmp");
            outputs.Add(new PendingOutput(output, digest, path, temp));
        }
        long bytes = 0;
        try
        {
            var directories = entry.Directories.Select(d => target(d) ?? throw new UnsafeOutputPathException(d));
            foreach (var dir in outputs.Select(o => Path.GetDirectoryName(o.Target)!).Concat(directories).Distinct())
            {
                Directory.CreateDirectory(dir);
            }
            var batchedLimit = client.BatchedRestoreLimit;
            var small = outputs.Where(o => o.Digest.Size <= batchedLimit).ToList();
            foreach (var batch in BlobBatches.Split(small, o => o.Digest.Size))
            {
                var blobs = await client.BatchReadAsync([.. batch.Select(o => o.Digest).Distinct()], cancellationToken).ConfigureAwait(false);
                foreach (var o in batch)
                {
                    var data = blobs.GetValueOrDefault(o.Digest) ?? await DownloadAsync(client, o.Digest, cancellationToken).ConfigureAwait(false);
                    bytes += data.Length;
                    WriteFile(o.Temp, o.Output.PathsNormalized ? roots.ExpandText(data, jsonEscape: false) : data, o.Output.Executable);
                }
            }
            foreach (var o in outputs.Where(o => o.Digest.Size > batchedLimit))
            {
                // A temp file left by a killed process that had this PID would make the restore refuse to clobber it.
                File.Delete(o.Temp);
                if (!await client.RestoreFileAsync(o.Digest, o.Temp, o.Output.Executable, cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidDataException($"blob {o.Digest} of {o.Output.Path} is missing");
                }
                bytes += o.Digest.Size;
            }
            foreach (var o in outputs)
            {
                File.Move(o.Temp, o.Target, overwrite: true);
            }
        }
        catch
        {
            foreach (var o in outputs)
            {
                TryDelete(o.Temp);
            }
            throw;
        }
        foreach (var o in outputs.Where(o => !o.Output.PathsNormalized))
        {
            digests.Remember(o.Target, o.Digest);
        }
        return bytes;
    }

    private static async Task<byte[]> DownloadAsync(CacheClient client, ContentDigest digest, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream((int)digest.Size);
        if (!await client.DownloadAsync(digest, buffer, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidDataException($"blob {digest} is missing");
        }
        return buffer.ToArray();
    }

    private static void WriteFile(string path, byte[] data, bool executable)
    {
        File.WriteAllBytes(path, data);
        File.SetUnixFileMode(path, OutputFileMode.Of(executable));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp file that cannot be removed is harmless next to the outputs.
        }
    }

    private sealed record PendingOutput(OutputFile Output, ContentDigest Digest, string Target, string Temp);
}
