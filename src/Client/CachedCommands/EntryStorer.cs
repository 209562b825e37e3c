using CacheFarm.Client.Connection;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Stores a successful compile: the entry under its entry key and, under the first-level key, the manifest
/// with this compile's input candidate. A local daemon takes the whole compile in one call and stores it
/// while the build goes on; otherwise only the output blobs the daemon is missing are uploaded (small ones
/// batched, large ones streamed) before the entries.
/// </summary>
public static class EntryStorer
{
    // Normalized outputs (dep-info, small texts), the only bytes sent along, are a few KiB; the daemon keeps them in memory until it stores the compile.
    private const long HandOverInlineBytes = 1 << 20;

    /// <summary>Stores the entry and updates the manifest; returns the bytes uploaded or handed over.</summary>
    public static async Task<long> StoreAsync(CacheClient client, StoreRequest request, CancellationToken cancellationToken)
    {
        var outputs = request.Outputs;
        var entry = new Entry
        {
            Stdout = ByteString.CopyFrom(request.Stdout),
            Stderr = ByteString.CopyFrom(request.Stderr),
            ExitCode = request.ExitCode,
            Metadata = request.Metadata,
        };
        entry.Outputs.AddRange(outputs.Select(o => new OutputFile { Path = o.RelativePath, Digest = o.Digest.ToProto(), Executable = o.Executable, PathsNormalized = o.Normalized }));
        entry.Directories.AddRange(request.Directories);
        var manifestBytes = request.Manifest.With(request.Candidate).Serialize();
        var manifest = new Entry
        {
            Stdout = ByteString.CopyFrom(manifestBytes),
            Metadata = new EntryMetadata { Tool = InputManifest.Tool, CreatedUnixMs = request.Metadata.CreatedUnixMs, Host = request.Metadata.Host },
        };
        var stored = HandOver(client, request, entry, manifest, cancellationToken)
            ?? await UploadAsync(client, request, entry, manifest, cancellationToken).ConfigureAwait(false);
        ManifestMemo.Save(request.MemoDirectory, request.FirstLevelKey, manifestBytes);
        return stored;
    }

    // A local daemon stores the compile after answering: the build goes on while it copies the outputs.
    private static long? HandOver(CacheClient client, StoreRequest request, Entry entry, Entry manifest, CancellationToken cancellationToken)
    {
        var distinct = request.Outputs.DistinctBy(o => o.Digest).ToList();
        var inline = distinct.Where(o => o.Normalized).ToList();
        if (inline.Sum(o => o.Digest.Size) > HandOverInlineBytes)
        {
            return null;
        }
        var handOver = new StoreCompileRequest();
        handOver.Blobs.AddRange(inline.Select(o => new BatchUpdateBlobsRequest.Types.Item { Digest = o.Digest.ToProto(), Data = ByteString.CopyFrom(o.Content) }));
        handOver.Files.AddRange(distinct.Where(o => !o.Normalized).Select(o => new FileBlobRequest { Digest = o.Digest.ToProto(), Path = Path.GetFullPath(o.FullPath) }));
        handOver.Entries.Add(new PutEntryRequest { Key = request.EntryKey, Entry = entry });
        handOver.Entries.Add(new PutEntryRequest { Key = request.FirstLevelKey, Entry = manifest });
        return client.TryHandOver(handOver, cancellationToken) ? distinct.Sum(o => o.Digest.Size) : null;
    }

    // Uploads only the blobs the daemon is missing, then the entry, then the manifest that leads to it.
    private static async Task<long> UploadAsync(CacheClient client, StoreRequest request, Entry entry, Entry manifest, CancellationToken cancellationToken)
    {
        var outputs = request.Outputs;
        var digests = outputs.Select(o => o.Digest).Distinct().ToList();
        var missing = (await client.FindMissingAsync(digests.Select(d => d.ToProto()), cancellationToken).ConfigureAwait(false))
            .Select(d => ContentDigest.TryParse(d, out var parsed, out _) ? parsed : default)
            .ToHashSet();
        var toSend = outputs.Where(o => missing.Contains(o.Digest)).DistinctBy(o => o.Digest).ToList();
        long uploaded = 0;
        // A small file is read again here; should it have changed since it was hashed, the daemon rejects its bytes and nothing is stored.
        foreach (var batch in BlobBatches.Split(toSend.Where(Batched), o => o.Digest.Size))
        {
            await SendBatchAsync(client, [.. batch.Select(o => (o.Digest, (ReadOnlyMemory<byte>)(o.Content ?? File.ReadAllBytes(o.FullPath))))], cancellationToken).ConfigureAwait(false);
            uploaded += batch.Sum(o => o.Digest.Size);
        }
        foreach (var output in toSend.Where(o => !Batched(o)))
        {
            await client.StoreFileAsync(output.Digest, output.FullPath, cancellationToken).ConfigureAwait(false);
            uploaded += output.Digest.Size;
        }
        await client.PutEntryAsync(request.EntryKey, entry, cancellationToken).ConfigureAwait(false);
        await client.PutEntryAsync(request.FirstLevelKey, manifest, cancellationToken).ConfigureAwait(false);
        return uploaded;
    }

    private static bool Batched(ProducedOutput output) => output.Content is not null || output.Digest.Size <= ProducedOutput.InlineLimit;

    private static async Task SendBatchAsync(CacheClient client, List<(ContentDigest, ReadOnlyMemory<byte>)> batch, CancellationToken cancellationToken)
    {
        var rejected = await client.BatchUploadAsync(batch, cancellationToken).ConfigureAwait(false);
        if (rejected.Count > 0)
        {
            throw new InvalidDataException("the daemon rejected blobs: " + string.Join("; ", rejected));
        }
    }
}
