using System.Security.Cryptography;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Processes;
using CacheFarm.Client.Tracing;
using CacheFarm.Protos.Manifests;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// Preprocessor mode, the fallback when no traced candidate of the first-level key matches: the compiler prints the
/// compile's preprocessed text and lists the files it read for it; the key of both names a manifest of its own. Its
/// candidates leave out the content of the files the text carries (listed and named by a line marker), so a header
/// edit that leaves the text as it was still hits; what the text cannot show stays keyed: the programs run, files
/// read beyond the preprocessor's (a precompiled header, an assembler's <c>.incbin</c>, a driver's extra
/// dependency), include-path lookups, variables. The file list is in the key, so the depfile a hit restores names
/// the files this compile reads. The text is keyed as printed, checkout paths included: a header may hold a path
/// whose length alone reaches the object, so another checkout finds its hits through direct mode only.
/// </summary>
public sealed class PreprocessedSource
{
    /// <summary>Bump when the key or the stored layout changes meaning.</summary>
    public const string FormatVersion = "cachefarm-cc-pp/1";

    // __builtin_COLUMN and std::source_location put a column in the object, and so does clang's __PRETTY_FUNCTION__
    // in a template over a lambda ("lambda at a.cc:12:17"); clang gives __builtin_LINE in a macro call that spans
    // lines the line where the call ends. A diagnostic pragma can make an error of a warning that -w hid.
    private static readonly byte[][] TextRefusals =
    [
        .. new[] { "__builtin_COLUMN", "__builtin_source_location", "__builtin_LINE", "__PRETTY_FUNCTION__", "diagnostic error", "diagnostic warning" }
            .Select(System.Text.Encoding.UTF8.GetBytes),
    ];

    private readonly HashSet<string> _carried;

    private PreprocessedSource(string key, HashSet<string> carried) => (Key, _carried) = (key, carried);

    /// <summary>The first-level key of preprocessor mode.</summary>
    public string Key { get; }

    /// <summary>
    /// Runs the preprocessor for <paramref name="call"/>; null when preprocessor mode cannot serve it: the gate says no,
    /// the preprocessor fails or warns, or the text asks for what it does not keep.
    /// </summary>
    public static PreprocessedSource? TryRun(CFamilyCall call, IReadOnlyList<string> addedArgs, string firstLevelKey, string tempDirectory)
    {
        if (PreprocessorModeGate.WhyNot(call.ExpandedArgs, call.Parsed.Language, call.Env) is not null)
        {
            return null;
        }
        var depFile = Path.Combine(tempDirectory, $"pp-{Environment.ProcessId}-{Guid.NewGuid():N}.d");
        try
        {
            Directory.CreateDirectory(tempDirectory);
            var (exitCode, text, warnings) = ChildProcess.RunTeed(
                call.Compiler, [.. PreprocessorModeGate.PreprocessArgs(call.ExpandedArgs, depFile), .. addedArgs], call.Environment, (-1, -1));
            if (exitCode != 0 || warnings.Length > 0 || BytePatternSearch.ContainsAny(text, TextRefusals))
            {
                return null;
            }
            var read = MakeDepFile.Prerequisites(File.ReadAllText(depFile)).Select(f => CheckoutRoots.Absolute(f, call.WorkingDirectory)).ToList();
            var marked = LineMarkers.Files(text, call.WorkingDirectory);
            using var key = new CacheKeyBuilder();
            key.Add("format", FormatVersion).Add("first-level", firstLevelKey).Add("text", SHA256.HashData(text));
            foreach (var file in read.Order(StringComparer.Ordinal))
            {
                key.Add("read", file);
            }
            var carried = read.Where(marked.Contains).Select(call.Roots.Normalize).ToHashSet(StringComparer.Ordinal);
            return new PreprocessedSource(key.Finish(), carried);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        finally
        {
            try
            {
                File.Delete(depFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover list in the data directory's temp is harmless; failing the compile over it is not.
            }
        }
    }

    /// <summary>The request that stores a traced compile's entry again, under this text's key, without the content of the files the text carries.</summary>
    public StoreRequest Request(StoreRequest traced, InputManifest manifest, CheckoutRoots roots)
    {
        var candidate = traced.Candidate with
        {
            Inputs = [.. traced.Candidate.Inputs.Where(i => !(i.Path.Length > 1 && i.Path[0] == PathObservation.Content && _carried.Contains(i.Path[1..])))],
        };
        return traced with { FirstLevelKey = Key, EntryKey = EntryKey.Compute(Key, candidate, roots), Candidate = candidate, Manifest = manifest };
    }
}
