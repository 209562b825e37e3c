namespace CacheFarm.TestSupport;

/// <summary>Bytes on disk under a directory (allocated blocks, so sparse or preallocated files count as they really cost).</summary>
public static class DirectorySize
{
    public static long Bytes(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f =>
        {
            try
            {
                return f.Length;
            }
            catch (FileNotFoundException)
            {
                return 0;
            }
        });
}
