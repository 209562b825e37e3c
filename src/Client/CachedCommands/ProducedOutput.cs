using System.Buffers;
using CacheFarm.Client.Rustc;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// One output file of a compile, read once: its digest, whether it embeds a real checkout path (then the
/// entry is keyed by the roots), and its bytes when small enough to upload in a batch. A dep-info file, and
/// with <c>normalizeText</c> any small text file that names a root, is stored with its paths replaced by
/// placeholders (<see cref="Normalized"/>).
/// </summary>
public sealed record ProducedOutput(string RelativePath, string FullPath, bool Executable, ContentDigest Digest, byte[]? Content, bool EmbedsRoot, bool Normalized)
{
    /// <summary>Outputs up to this size travel in BatchUpdateBlobs calls; larger ones are streamed.</summary>
    public const int InlineLimit = 1 << 20;

    private const int ChunkBytes = 1 << 20;

    // Binary files are never rewritten: a path of another length would move every offset after it.
    private const int TextProbeBytes = 8192;

    public static ProducedOutput Read(string fullPath, string relativePath, CheckoutRoots roots, bool scanForRoots, bool normalizeText = false)
    {
        FileStamp.TryRead(fullPath, out var stamp);
        var patterns = scanForRoots ? roots.Roots.Select(r => System.Text.Encoding.UTF8.GetBytes(r.Path)).ToArray() : [];
        if (IsDepInfo(relativePath))
        {
            return NormalizedOutput(relativePath, fullPath, stamp, roots.NormalizeText(File.ReadAllBytes(fullPath)), patterns);
        }
        if (stamp.Size <= InlineLimit)
        {
            var bytes = File.ReadAllBytes(fullPath);
            var embeds = ContainsAny(bytes, patterns);
            if (embeds && normalizeText && bytes.AsSpan(0, Math.Min(bytes.Length, TextProbeBytes)).IndexOf((byte)0) < 0)
            {
                return NormalizedOutput(relativePath, fullPath, stamp, roots.NormalizeText(bytes), patterns);
            }
            return new ProducedOutput(relativePath, fullPath, stamp.IsExecutable, ContentDigest.Of(bytes), bytes, embeds, false);
        }
        var (digest, embedsLarge) = HashAndScan(fullPath, patterns);
        return new ProducedOutput(relativePath, fullPath, stamp.IsExecutable, digest, null, embedsLarge, false);
    }

    // A root left in the text (glued to other characters, so not replaced) still ties the entry to this checkout.
    private static ProducedOutput NormalizedOutput(string relativePath, string fullPath, FileStamp stamp, byte[] normalized, byte[][] patterns) =>
        new(relativePath, fullPath, stamp.IsExecutable, ContentDigest.Of(normalized), normalized, ContainsAny(normalized, patterns), true);

    private static bool IsDepInfo(string relativePath) => relativePath.EndsWith(".d", StringComparison.Ordinal);

    private static bool ContainsAny(ReadOnlySpan<byte> data, byte[][] patterns)
    {
        foreach (var pattern in patterns)
        {
            if (data.IndexOf(pattern) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static (ContentDigest Digest, bool EmbedsRoot) HashAndScan(string path, byte[][] patterns)
    {
        var overlap = patterns.Length == 0 ? 0 : patterns.Max(p => p.Length) - 1;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes + overlap);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            using var hash = new Sha256Accumulator();
            long offset = 0;
            var carried = 0;
            var embeds = false;
            int read;
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(carried, ChunkBytes), offset)) > 0)
            {
                hash.Append(buffer.AsSpan(carried, read));
                offset += read;
                var window = buffer.AsSpan(0, carried + read);
                embeds = embeds || ContainsAny(window, patterns);
                carried = Math.Min(overlap, window.Length);
                window[^carried..].CopyTo(buffer);
            }
            return (ContentDigest.FromHash(hash.GetHashAndReset(), offset), embeds);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
