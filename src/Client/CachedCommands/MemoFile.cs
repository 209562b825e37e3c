using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.CachedCommands;

/// <summary>Small files under the data directory that several rustc wrappers may write at once: replaced whole, by rename.</summary>
public static class MemoFile
{
    // No line of a memo is this alone, so a file cut short cannot end with it.
    private const string EndLine = "#end\n";

    /// <summary>The memo file for <paramref name="key"/> in <paramref name="directory"/>, named by a hash so any key makes a short, safe name.</summary>
    public static string PathFor(string directory, string key) =>
        Path.Combine(directory, Convert.ToHexStringLower(Sha256Accumulator.HashData(System.Text.Encoding.UTF8.GetBytes(key)).AsSpan(0, 16)));

    public static string? TryRead(string path)
    {
        try
        {
            // One read of a known size: File.ReadAllText decodes through a StreamReader and a growing StringBuilder.
            return System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when a field holds no newline or tab, the separators of memo lines, so it can be written into one.</summary>
    public static bool FitsInLine(string field) => !field.Contains('\n', StringComparison.Ordinal) && !field.Contains('\t', StringComparison.Ordinal);

    /// <summary>
    /// Reads a memo that <see cref="TryWriteWhole"/> wrote, without its end line; null when the file is missing or
    /// lacks that line: a file cut short (a crash before its blocks reached the disk) would otherwise read as a
    /// memo with fewer lines, and fewer lines claim less to check.
    /// </summary>
    public static string? TryReadWhole(string path) =>
        TryRead(path) is { } text && (text == EndLine || text.EndsWith("\n" + EndLine, StringComparison.Ordinal)) ? text[..^EndLine.Length] : null;

    /// <summary>Writes a memo of newline-ended lines with an end line after them (see <see cref="TryReadWhole"/>).</summary>
    public static void TryWriteWhole(string path, string lines) => TryWrite(path, lines + EndLine);

    /// <summary>Writes by temp file and rename so readers see the old or the new content, never a mix; failures are ignored (it is only a memo).</summary>
    public static void TryWrite(string path, string content) => TryWrite(path, System.Text.Encoding.UTF8.GetBytes(content));

    /// <inheritdoc cref="TryWrite(string, string)"/>
    public static void TryWrite(string path, ReadOnlySpan<byte> content)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Random.Shared.Next():x}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing else to do with a stray temp file.
        }
    }
}
