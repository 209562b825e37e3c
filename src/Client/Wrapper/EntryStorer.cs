using CacheFarm.Client.Connection;
using CacheFarm.Client.Rustc;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;

namespace CacheFarm.Client.Wrapper;

/// <summary>
/// Stores a successful compile: uploads only the output blobs the daemon is missing (small ones batched,
/// large ones streamed), puts the entry under its entry key, then records the input candidate in the
/// manifest under the first-level key.
/// </summary>
public static class EntryStorer
{
    private const long BatchBytes = 3 << 20;

    /// <summary>Stores the entry and updates the manifest; returns the bytes uploaded.</summary>
    public static async Task<long> StoreAsync(CacheClient client, StoreRequest request, CancellationToken cancellationToken)
    {
        var outputs = request.Outputs;
        var digests = outputs.Select(o => o.Digest).Distinct().ToList();
        var missing = (await client.FindMissingAsync(digests.Select(d => d.ToProto()), cancellationToken).ConfigureAwait(false))
            .Select(d => ContentDigest.TryParse(d, out var parsed, out _) ? parsed : default)
            .ToHashSet();
        var toSend = outputs.Where(o => missing.Contains(o.Digest)).DistinctBy(o => o.Digest).ToList();
        long uploaded = 0;
        var batch = new List<(ContentDigest, ReadOnlyMemory<byte>)>();
        long batchSize = 0;
        foreach (var output in toSend.Where(o => o.Content is not null))
        {
            if (batch.Count > 0 && batchSize + output.Digest.Size > BatchBytes)
            {
                await SendBatchAsync(client, batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                batchSize = 0;
            }
            batch.Add((output.Digest, output.Content!));
            batchSize += output.Digest.Size;
            uploaded += output.Digest.Size;
        }
        if (batch.Count > 0)
        {
            await SendBatchAsync(client, batch, cancellationToken).ConfigureAwait(false);
        }
        foreach (var output in toSend.Where(o => o.Content is null))
        {
            await client.StoreFileAsync(output.Digest, output.FullPath, cancellationToken).ConfigureAwait(false);
            uploaded += output.Digest.Size;
        }
        var entry = new Entry
        {
            Stdout = ByteString.CopyFrom(request.Stdout),
            Stderr = ByteString.CopyFrom(request.Stderr),
            ExitCode = request.ExitCode,
            Metadata = request.Metadata,
        };
        entry.Outputs.AddRange(outputs.Select(o => new OutputFile { Path = o.RelativePath, Digest = o.Digest.ToProto(), Executable = o.Executable }));
        await client.PutEntryAsync(request.EntryKey, entry, cancellationToken).ConfigureAwait(false);
        var manifestBytes = request.Manifest.With(request.Candidate).Serialize();
        var manifest = new Entry
        {
            Stdout = ByteString.CopyFrom(manifestBytes),
            Metadata = new EntryMetadata { Tool = InputManifest.Tool, CreatedUnixMs = request.Metadata.CreatedUnixMs, Host = request.Metadata.Host },
        };
        await client.PutEntryAsync(request.FirstLevelKey, manifest, cancellationToken).ConfigureAwait(false);
        ManifestMemo.Save(request.MemoDirectory, request.FirstLevelKey, InputManifest.Parse(manifestBytes));
        return uploaded;
    }

    private static async Task SendBatchAsync(CacheClient client, List<(ContentDigest, ReadOnlyMemory<byte>)> batch, CancellationToken cancellationToken)
    {
        var rejected = await client.BatchUploadAsync(batch, cancellationToken).ConfigureAwait(false);
        if (rejected.Count > 0)
        {
            throw new InvalidDataException("the daemon rejected blobs: " + string.Join("; ", rejected));
        }
    }
}
