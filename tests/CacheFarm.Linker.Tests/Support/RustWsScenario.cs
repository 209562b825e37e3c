using System.Globalization;
using System.Text.Json;
using CacheFarm.TestSupport;

namespace CacheFarm.Linker.Tests.Support;

/// <summary>
/// One pass over tests/workloads/rust-ws, shared by the report and linker tests: a cold build, a warm build of a
/// fresh copy elsewhere, touch-and-rebuild rounds until auto has settled, the HTML report, timed touch-and-rebuild
/// rounds under each policy (interleaved, so drift hits all alike), and a daemon restart. Each step keeps what the
/// tests assert on.
/// </summary>
public sealed class RustWsScenario : IAsyncLifetime
{
    public static readonly string[] TimedPolicies = ["auto", "bfd", "default", "mold", "lld"];

    public const int TimedRounds = 5;

    private const int MaxLearningRebuilds = 16;
    private const string Registry = "/usr/share/cargo/registry";

    private readonly TempDirectory _temp = new("cf-rustws");
    private DaemonProcess? _daemon;

    public string Workload { get; } = RepoPaths.Workload("rust-ws");

    public string WarmWorkspace => _temp.Combine("another", "place", "warm");

    public JsonDocument? ColdReport { get; private set; }

    public JsonDocument? WarmReport { get; private set; }

    public string WarmReportText { get; private set; } = "";

    public JsonDocument? IncrementalReport { get; private set; }

    public string IncrementalReportText { get; private set; } = "";

    public string Comparison { get; private set; } = "";

    public LearningFile Learning { get; private set; } = new("", "", 0);

    public int LearningRebuilds { get; private set; }

    public string LinkerCommandOutput { get; private set; } = "";

    public string HtmlReport { get; private set; } = "";

    /// <summary>Who linked the binaries right after auto settled (before the timed rounds relink them under every policy).</summary>
    public Dictionary<string, string> AutoLinkedBy { get; } = [];

    public Dictionary<string, List<double>> RebuildSeconds { get; } = TimedPolicies.ToDictionary(p => p, _ => new List<double>());

    public List<string> BuildIdsBeforeRestart { get; } = [];

    public List<string> BuildIdsAfterRestart { get; } = [];

    public string Figures { get; private set; } = "";

    /// <summary>cargo through cachefarm against the restarted daemon, whose cache holds every dev-profile compile of the workload.</summary>
    public WrappedCargo? Cargo { get; private set; }

    public double Median(string policy) => MedianOf(RebuildSeconds[policy]);

    /// <summary>
    /// The median over rounds of one policy's rebuild time over another's in the same round: each round runs
    /// every policy back to back, so pairing them cancels the machine's drift from round to round.
    /// </summary>
    public double MedianRatio(string policy, string baseline) =>
        MedianOf(RebuildSeconds[policy].Zip(RebuildSeconds[baseline], (p, b) => p / b));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    public async Task InitializeAsync()
    {
        Assert.True(Directory.Exists(Registry) && Directory.EnumerateDirectories(Registry, "tokio-*").Any(),
            $"rust-ws needs Debian's crate sources in {Registry}: run scripts/setup.sh");
        _daemon = await DaemonProcess.StartAsync(_temp.Combine("daemon"));
        var cargo = new WrappedCargo(_daemon, _temp.Combine("client"));

        var cold = await WorkspaceCopy.MakeAsync(Workload, _temp.Combine("cold"));
        await cargo.CargoAsync(cold);
        ColdReport = await JsonReportAsync(cargo, cold);

        var warm = await WorkspaceCopy.MakeAsync(Workload, WarmWorkspace);
        await cargo.CargoAsync(warm);
        WarmReport = await JsonReportAsync(cargo, warm);
        WarmReportText = (await cargo.CachefarmAsync(warm, null, "report", "--no-html")).Succeeded("cachefarm report").Stdout;

        var touched = Path.Combine(warm, "core", "src", "lib.rs");
        Learning = LearningFile.Read(cargo.LearningFile);
        while (!Learning.Settled && LearningRebuilds < MaxLearningRebuilds)
        {
            WorkspaceCopy.Touch(touched);
            await cargo.CargoAsync(warm);
            LearningRebuilds++;
            Learning = LearningFile.Read(cargo.LearningFile);
        }
        // One more, so the binaries are linked by the settled choice.
        WorkspaceCopy.Touch(touched);
        await cargo.CargoAsync(warm);
        IncrementalReport = await JsonReportAsync(cargo, warm);
        IncrementalReportText = (await cargo.CachefarmAsync(warm, null, "report", "--no-html")).Succeeded("cachefarm report").Stdout;
        LinkerCommandOutput = (await cargo.CachefarmAsync(warm, null, "linker")).Succeeded("cachefarm linker").Stdout;
        foreach (var binary in new[] { "ws-cli", "ws-server" })
        {
            AutoLinkedBy[binary] = await ElfComment.LinkerOfAsync(Path.Combine(warm, "target", "debug", binary));
        }
        HtmlReport = (await cargo.CachefarmAsync(warm, null, "report", "--format", "html")).Succeeded("cachefarm report --format html").Stdout.Trim();

        await TimeRebuildsAsync(cargo, warm, touched);
        Comparison = (await cargo.CachefarmAsync(warm, null, "report", "--builds", "50")).Succeeded("cachefarm report --builds").Stdout;

        BuildIdsBeforeRestart.AddRange(await BuildIdsAsync(cargo, warm));
        await _daemon.StopAsync();
        await _daemon.DisposeAsync();
        _daemon = await DaemonProcess.StartAsync(_temp.Combine("daemon"));
        Cargo = new WrappedCargo(_daemon, cargo.ClientDataDirectory);
        BuildIdsAfterRestart.AddRange(await BuildIdsAsync(Cargo, warm));
    }

    // Touch a core file and rebuild, each policy once per round in a shuffled order.
    private async Task TimeRebuildsAsync(WrappedCargo cargo, string workspace, string touched)
    {
        foreach (var policy in TimedPolicies)
        {
            await cargo.CargoAsync(workspace, new Dictionary<string, string?> { ["CACHEFARM_LINKER"] = policy });
        }
        for (var round = 0; round < TimedRounds; round++)
        {
            foreach (var policy in TimedPolicies.OrderBy(_ => Random.Shared.Next()))
            {
                WorkspaceCopy.Touch(touched);
                var run = await cargo.CargoAsync(workspace, new Dictionary<string, string?> { ["CACHEFARM_LINKER"] = policy });
                RebuildSeconds[policy].Add(run.Elapsed.TotalSeconds);
            }
        }
        Figures = string.Join("\n", TimedPolicies.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p,-8} median {Median(p):0.000} s  ({string.Join(", ", RebuildSeconds[p].Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))})")))
            + string.Create(CultureInfo.InvariantCulture, $"\nauto/bfd = {MedianRatio("auto", "bfd"):0.000} (median of per-round ratios); auto chose {Learning.Choice} after {LearningRebuilds} touch-and-rebuilds: {Learning.Reason}");
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "linker-figures.txt"), Figures + "\n");
    }

    private static async Task<JsonDocument> JsonReportAsync(WrappedCargo cargo, string workspace) =>
        JsonDocument.Parse((await cargo.CachefarmAsync(workspace, null, "report", "--format", "json", "--no-html")).Succeeded("cachefarm report --format json").Stdout);

    private static async Task<List<string>> BuildIdsAsync(WrappedCargo cargo, string workspace)
    {
        using var json = JsonDocument.Parse((await cargo.CachefarmAsync(workspace, null, "report", "--builds", "50", "--format", "json")).Succeeded("cachefarm report --builds").Stdout);
        return [.. json.RootElement.GetProperty("builds").EnumerateArray().Select(b => b.GetProperty("build_id").GetString()!)];
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        ColdReport?.Dispose();
        WarmReport?.Dispose();
        IncrementalReport?.Dispose();
        _temp.Dispose();
    }
}
