using System.IO.Pipelines;
using System.Security.Cryptography;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Connection;

/// <summary>SHA-256 of a file, streamed through a pipe with pooled buffers.</summary>
public static class FileDigest
{
    public static async Task<ContentDigest> ComputeAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var reader = PipeReader.Create(file, new StreamPipeReaderOptions(bufferSize: 256 << 10, minimumReadSize: 64 << 10, leaveOpen: true));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var size = 0L;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var segment in result.Buffer)
            {
                hash.AppendData(segment.Span);
                size += segment.Length;
            }
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
        await reader.CompleteAsync().ConfigureAwait(false);
        return ContentDigest.FromHash(hash.GetHashAndReset(), size);
    }

}
