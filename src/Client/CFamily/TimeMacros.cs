using System.Globalization;
using System.Text;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// <c>__DATE__</c>, <c>__TIME__</c> and <c>__TIMESTAMP__</c> make an object depend on the clock. A compile whose
/// source or headers use <c>__TIME__</c> or <c>__TIMESTAMP__</c> is not stored; one that uses only <c>__DATE__</c>
/// is keyed by today's date (the pseudo-variable <see cref="DateVariable"/>), so it hits all day and misses the
/// next. With SOURCE_DATE_EPOCH set a compiler that honours it takes the date and time from it instead, and the
/// traced read of that variable keys them; <c>__TIMESTAMP__</c> is the source's modification time whatever it says.
/// </summary>
public static class TimeMacros
{
    /// <summary>The name under which the date enters a manifest candidate: no environment variable is called this.</summary>
    public const string DateVariable = ":__DATE__";

    // Headers larger than this are generated data, not code worth a scan; none of them uses the clock macros.
    private const long ScanLimit = 16 << 20;

    private static readonly byte[][] TimestampPatterns = [Encoding.ASCII.GetBytes("__TIMESTAMP__")];

    private static readonly byte[][] TimePatterns = [Encoding.ASCII.GetBytes("__TIME__")];

    private static readonly byte[][] DatePatterns = [Encoding.ASCII.GetBytes("__DATE__")];

    /// <summary>
    /// What the files use: the first file naming <c>__TIMESTAMP__</c>, or else the first naming <c>__TIME__</c>, with
    /// the macro (both null when none), and whether any names <c>__DATE__</c>.
    /// </summary>
    public static (string? ClockUser, string? Macro, bool UsesDate) Scan(IEnumerable<string> files)
    {
        var usesDate = false;
        string? timeUser = null;
        foreach (var file in files)
        {
            if (!FileStamp.TryRead(file, out var stamp) || !stamp.IsRegularFile || stamp.Size > ScanLimit)
            {
                continue;
            }
            var bytes = File.ReadAllBytes(file);
            if (IsPrecompiledHeader(bytes))
            {
                continue;
            }
            if (BytePatternSearch.ContainsAny(bytes, TimestampPatterns))
            {
                return (file, "__TIMESTAMP__", usesDate);
            }
            if (timeUser is null && BytePatternSearch.ContainsAny(bytes, TimePatterns))
            {
                timeUser = file;
            }
            usesDate |= BytePatternSearch.ContainsAny(bytes, DatePatterns);
        }
        return (timeUser, timeUser is null ? null : "__TIME__", usesDate);
    }

    // gcc's .gch and clang's .pch hold the compiler's table of built-in macros, __TIME__ among them, whatever the
    // header used. The clock a header used was read when it was precompiled (that compile is scanned as any other),
    // and what it baked in is in the file's bytes, which key every compile that reads it.
    private static bool IsPrecompiledHeader(ReadOnlySpan<byte> bytes) => bytes.StartsWith("gpch"u8) || bytes.StartsWith("CPCH"u8);

    /// <summary>Today as <c>__DATE__</c> sees it: the local date.</summary>
    public static string Today() => DateTime.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
