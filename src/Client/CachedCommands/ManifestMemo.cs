using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Manifests;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// The last manifest this machine saw under a first-level key, kept under the data directory. A hit whose
/// candidate is found here goes straight to the entry, one daemon round trip fewer; it is only a hint
/// (candidates are re-verified file by file), so a stale copy costs at most a fallback to the daemon's.
/// </summary>
public static class ManifestMemo
{
    public static InputManifest? TryLoad(string memoDirectory, string firstLevelKey)
    {
        try
        {
            var path = PathFor(memoDirectory, firstLevelKey);
            return File.Exists(path) ? InputManifest.Parse(File.ReadAllBytes(path)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Keeps a manifest in the serialised form it was stored or found in, so it is not serialised again.</summary>
    public static void Save(string memoDirectory, string firstLevelKey, ReadOnlySpan<byte> serializedManifest) =>
        MemoFile.TryWrite(PathFor(memoDirectory, firstLevelKey), serializedManifest);

    private static string PathFor(string memoDirectory, string firstLevelKey) => Path.Combine(memoDirectory, "manifests", firstLevelKey);
}
