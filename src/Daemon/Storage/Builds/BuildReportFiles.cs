using CacheFarm.Protos.V1;
using Google.Protobuf;

namespace CacheFarm.Daemon.Storage.Builds;

/// <summary>
/// Build reports on disk: one protobuf file per build (<c>NNNNNNNNNN.pb</c>, numbered in arrival order) in the
/// data directory's <c>builds</c> folder, replaced whole by rename so a crash leaves the old or the new copy.
/// </summary>
public sealed class BuildReportFiles(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>Reads every stored build, oldest first; unreadable files are skipped (a report is not worth failing a start).</summary>
    public List<(long Sequence, BuildReport Report)> LoadAll()
    {
        var result = new List<(long, BuildReport)>();
        foreach (var sequence in Sequences())
        {
            var path = PathOf(sequence);
            try
            {
                result.Add((sequence, BuildReport.Parser.ParseFrom(File.ReadAllBytes(path))));
            }
            catch (Exception e) when (e is IOException or InvalidProtocolBufferException or UnauthorizedAccessException)
            {
                // A torn or foreign file: drop it from the reports.
            }
        }
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    /// <summary>The sequence numbers of the stored builds, by file name only.</summary>
    public IEnumerable<long> Sequences() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.pb")
                .Select(p => long.TryParse(Path.GetFileNameWithoutExtension(p), out var n) ? n : -1)
                .Where(n => n >= 0)
            : [];

    public void Save(long sequence, BuildReport report)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(sequence);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, report.ToByteArray());
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(long sequence) => File.Delete(PathOf(sequence));

    private string PathOf(long sequence) => Path.Combine(Directory, sequence.ToString("D10", System.Globalization.CultureInfo.InvariantCulture) + ".pb");
}
