using System.Text.Json;

namespace CacheFarm.LoadGen.Reporting;

/// <summary>Writes the report files asked for with --json and --markdown.</summary>
internal static class ReportFiles
{
    public static async Task WriteJsonAsync(string path, LoadGenReport report, CancellationToken cancellationToken)
    {
        CreateDirectoryOf(path);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, ReportJsonContext.Default.LoadGenReport, cancellationToken);
    }

    public static async Task WriteMarkdownAsync(string path, string markdown, CancellationToken cancellationToken)
    {
        CreateDirectoryOf(path);
        await File.WriteAllTextAsync(path, markdown, cancellationToken);
    }

    private static void CreateDirectoryOf(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
    }
}
