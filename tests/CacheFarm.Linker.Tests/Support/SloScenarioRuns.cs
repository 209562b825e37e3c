using System.Text.Json;
using CacheFarm.TestSupport;

namespace CacheFarm.Linker.Tests.Support;

/// <summary>
/// <c>cachefarm slo</c> on a copy of tests/fixtures/cc-fixture (a build script compiling C through cc-rs, and a
/// binary) against a fresh daemon: a first run on the cold cache with one deliberately tight target, a second on the
/// now warm cache, a text run of one scenario, and the history. Each keeps what the tests assert on.
/// </summary>
public sealed class SloScenarioRuns : IAsyncLifetime
{
    // cached.wall_seconds is generous and holds; incremental.wall_seconds cannot hold.
    public const string Targets = """

        [package.metadata.cachefarm.slo.cached]
        wall_seconds = 600
        hit_rate = 0.9

        [package.metadata.cachefarm.slo.incremental]
        wall_seconds = 0.001
        """;

    private readonly TempDirectory _temp = new("cf-slo");
    private DaemonProcess? _daemon;

    public string Workspace => _temp.Combine("ws");

    public string HtmlFile => _temp.Combine("slo.html");

    public string TempPath => _temp.Path;

    public ProcessRun ColdRun { get; private set; } = null!;

    public JsonDocument Cold { get; private set; } = null!;

    public ProcessRun WarmRun { get; private set; } = null!;

    public JsonDocument Warm { get; private set; } = null!;

    public ProcessRun TextRun { get; private set; } = null!;

    public ProcessRun History { get; private set; } = null!;

    /// <summary>The build ids the daemon recorded for the warm run.</summary>
    public List<string> WarmBuildIds { get; } = [];

    /// <summary>What the slo's cached build printed, and what the same program printed built without cachefarm.</summary>
    public (string Cached, string Uncached) Outputs { get; private set; }

    public WrappedCargo Cargo { get; private set; } = null!;

    public static readonly Dictionary<string, string?> Greeting = new() { ["FIXTURE_GREETING"] = "slo" };

    public async Task InitializeAsync()
    {
        Assert.True(Directory.Exists("/usr/share/cargo/registry/cc-1.0.73"), "the fixture needs Debian's cc crate: run scripts/setup.sh");
        _daemon = await DaemonProcess.StartAsync(_temp.Combine("daemon"));
        Cargo = new WrappedCargo(_daemon, _temp.Combine("client"));
        await WorkspaceCopy.MakeAsync(RepoPaths.CcFixture, Workspace);
        File.AppendAllText(Path.Combine(Workspace, "Cargo.toml"), Targets);

        ColdRun = await Cargo.CachefarmAsync(Workspace, Greeting, "slo", "--json", "--html", HtmlFile);
        Cold = JsonDocument.Parse(ColdRun.Stdout);
        WarmRun = await Cargo.CachefarmAsync(Workspace, Greeting, "slo", "--json");
        Warm = JsonDocument.Parse(WarmRun.Stdout);
        var stamp = Warm.RootElement.GetProperty("started").GetDateTimeOffset().UtcDateTime.ToString("yyyyMMddTHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var builds = await Cargo.CachefarmAsync(Workspace, null, "report", "--builds", "50", "--format", "json");
        using (var reports = JsonDocument.Parse(builds.Succeeded("cachefarm report --builds").Stdout))
        {
            WarmBuildIds.AddRange(reports.RootElement.GetProperty("builds").EnumerateArray().Select(b => b.GetProperty("build_id").GetString() ?? "").Where(id => id.Contains($"/slo-{stamp}-", StringComparison.Ordinal)));
        }
        var cached = await ProcessRun.RunAsync(Path.Combine(Workspace, "target", "cachefarm-slo", "release", "cc-fixture"), [], Workspace, new Dictionary<string, string?>());
        var uncachedCopy = await WorkspaceCopy.MakeAsync(RepoPaths.CcFixture, _temp.Combine("uncached"));
        (await ProcessRun.RunAsync(RustToolchain.Cargo, ["build", "--release"], uncachedCopy, new Dictionary<string, string?>(Greeting) { ["RUSTC_WRAPPER"] = null, ["PATH"] = RustToolchain.SearchPath })).Succeeded("uncached cargo build");
        var uncached = await ProcessRun.RunAsync(Path.Combine(uncachedCopy, "target", "release", "cc-fixture"), [], uncachedCopy, new Dictionary<string, string?>());
        Outputs = (cached.Succeeded("the slo's release binary").Stdout, uncached.Succeeded("the uncached binary").Stdout);

        TextRun = await Cargo.CachefarmAsync(Workspace, Greeting, "slo", "--scenarios", "incremental");
        History = await Cargo.CachefarmAsync(Workspace, null, "slo", "--history");
    }

    public async Task DisposeAsync()
    {
        Cold?.Dispose();
        Warm?.Dispose();
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        _temp.Dispose();
    }
}
