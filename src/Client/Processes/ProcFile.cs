namespace CacheFarm.Client.Processes;

/// <summary>
/// Reads a small /proc file into the caller's buffer. Such files report a size of 0, so <see cref="File.ReadAllText(string)"/>
/// and friends grow heap buffers for a few hundred bytes; in a process that lives for milliseconds, the fresh pages cost more
/// than the read.
/// </summary>
public static class ProcFile
{
    /// <summary>Fills <paramref name="buffer"/> from the start of the file; the byte count, or -1 when it cannot be read.</summary>
    public static int TryRead(string path, Span<byte> buffer)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            var total = 0;
            int read;
            while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer[total..], total)) > 0)
            {
                total += read;
            }
            return total;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
