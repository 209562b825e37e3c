using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// The builds the fixture tests share, made once: an uncached build, a cold build through cachefarm, a warm
/// build after `cargo clean`, and a warm build of a fresh copy in another directory, all against one private daemon.
/// </summary>
public sealed class RustFixtureBuilds : IAsyncLifetime
{
    /// <summary>Workspace members build with -C incremental in the dev profile; these builds cache them by turning it off, as CI does.</summary>
    public static readonly IReadOnlyDictionary<string, string?> NonIncremental = new Dictionary<string, string?> { ["CARGO_INCREMENTAL"] = "0" };

    public static readonly string[] AllUnits =
        ["fixapp/fixapp", "fixcdylib/fixcdylib", "fixmacro/fixmacro", "genlib/build_script_build", "genlib/genlib"];

    private readonly TempDirectory _work = new("cf-fixture");

    public WrapperDaemon Daemon { get; private set; } = null!;

    public string UncachedDir => _work.Combine("uncached");

    public string ColdDir => _work.Combine("cold");

    public string OtherDir => _work.Combine("elsewhere", "clone");

    public BuildReport Cold { get; private set; } = null!;

    public BuildReport WarmAfterClean { get; private set; } = null!;

    public BuildReport OtherDirectory { get; private set; } = null!;

    /// <summary>A fresh copy of the fixture sources in a new directory under the work area.</summary>
    public string FreshCopy(string name) => DirectoryCopy.Run(RepoPaths.RustFixture, _work.Combine(name));

    public async Task InitializeAsync()
    {
        Daemon = await WrapperDaemon.StartAsync();
        DirectoryCopy.Run(RepoPaths.RustFixture, UncachedDir);
        await CargoBuild.RunAsync(UncachedDir, null, NonIncremental);
        DirectoryCopy.Run(RepoPaths.RustFixture, ColdDir);
        Cold = await CargoBuild.RunAsync(ColdDir, Daemon, NonIncremental);
        await CargoBuild.RunAsync(ColdDir, null, null, "clean");
        WarmAfterClean = await CargoBuild.RunAsync(ColdDir, Daemon, NonIncremental);
        DirectoryCopy.Run(RepoPaths.RustFixture, OtherDir);
        OtherDirectory = await CargoBuild.RunAsync(OtherDir, Daemon, NonIncremental);
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        _work.Dispose();
    }
}
