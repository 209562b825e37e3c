using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// One output file of a compile, read once here (an upload to a remote daemon reads small ones again): its digest and whether it embeds a real checkout path (then the
/// entry is keyed by the roots). A dep-info file, and with <c>normalizeText</c> any small text file that names
/// a root, is stored with its paths replaced by placeholders (<see cref="Normalized"/>); only then are its
/// stored bytes kept (<see cref="Content"/>), since every other output is stored from its file.
/// </summary>
public sealed record ProducedOutput(string RelativePath, string FullPath, bool Executable, ContentDigest Digest, byte[]? Content, bool EmbedsRoot, bool Normalized)
{
    /// <summary>Outputs up to this size travel in BatchUpdateBlobs calls when uploaded; larger ones are streamed.</summary>
    public const int InlineLimit = 1 << 20;

    // Binary files are never rewritten: a path of another length would move every offset after it.
    private const int TextProbeBytes = 8192;

    public static ProducedOutput Read(string fullPath, string relativePath, CheckoutRoots roots, bool scanForRoots, bool normalizeText = false)
    {
        FileStamp.TryRead(fullPath, out var stamp);
        var patterns = scanForRoots ? roots.ScanPatterns : [];
        if (IsDepInfo(relativePath))
        {
            return NormalizedOutput(relativePath, fullPath, stamp, roots.NormalizeText(File.ReadAllBytes(fullPath)), patterns);
        }
        if (normalizeText && stamp.Size <= InlineLimit)
        {
            var bytes = File.ReadAllBytes(fullPath);
            var embeds = BytePatternSearch.ContainsAny(bytes, patterns);
            if (embeds && bytes.AsSpan(0, Math.Min(bytes.Length, TextProbeBytes)).IndexOf((byte)0) < 0)
            {
                return NormalizedOutput(relativePath, fullPath, stamp, roots.NormalizeText(bytes), patterns);
            }
            return new ProducedOutput(relativePath, fullPath, stamp.IsExecutable, ContentDigest.Of(bytes), null, embeds, false);
        }
        // Streamed through one pooled buffer: a whole-file array per output cost a miss more in page faults and zeroing than in hashing.
        var (digest, embedsRoot) = HashAndScan(fullPath, patterns);
        return new ProducedOutput(relativePath, fullPath, stamp.IsExecutable, digest, null, embedsRoot, false);
    }

    // A root left in the text (glued to other characters, so not replaced) still ties the entry to this checkout.
    private static ProducedOutput NormalizedOutput(string relativePath, string fullPath, FileStamp stamp, byte[] normalized, byte[][] patterns) =>
        new(relativePath, fullPath, stamp.IsExecutable, ContentDigest.Of(normalized), normalized, BytePatternSearch.ContainsAny(normalized, patterns), true);

    /// <summary>True for a dep-info file (make rules naming every input), which is stored with its paths as placeholders.</summary>
    public static bool IsDepInfo(string path) => path.EndsWith(".d", StringComparison.Ordinal);

    private static (ContentDigest Digest, bool EmbedsRoot) HashAndScan(string path, byte[][] patterns)
    {
        var search = new BytePatternSearch(patterns);
        var digest = FileContentHash.Compute(path, search.Append);
        return (digest, search.Found);
    }
}
