using System.Net;
using CacheFarm.Client.Tests.Support;
using CacheFarm.LinkShaper;
using CacheFarm.TestSupport;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>A shared cachefarmd that one CI runner filled with a cold build of rust-ws, beside an uncached build of it to compare with.</summary>
public sealed class FilledSharedDaemon : IAsyncLifetime
{
    /// <summary>As CI sets it: incremental compiles are not cached.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Ci = new Dictionary<string, string?> { ["CARGO_INCREMENTAL"] = "0" };

    private static readonly string Workload = RepoPaths.Workload("rust-ws");

    public TempDirectory Work { get; } = new("cf-upstream");

    public DaemonProcess Shared { get; private set; } = null!;

    /// <summary>The uncached build's checkout, with its target directory.</summary>
    public string Uncached => Work.Combine("uncached", "rust-ws");

    public TimeSpan UncachedTime { get; private set; }

    /// <summary>A fresh copy of rust-ws under <paramref name="runner"/>; every checkout keeps the repository's directory name, as CI runners' checkouts do.</summary>
    public string Checkout(string runner) => DirectoryCopy.Run(Workload, Work.Combine(runner, "rust-ws"));

    /// <summary>A runner daemon's settings: its upstream is the shared daemon, across <paramref name="link"/>.</summary>
    public static Dictionary<string, string?> RunnerSettings(LinkShapingProxy link) => new() { ["CACHEFARM_UPSTREAM"] = $"http://127.0.0.1:{link.Port}" };

    /// <summary>A data-centre link (1 ms each way, 1 Gbit/s) to the shared daemon.</summary>
    public LinkShapingProxy Link() => LinkShapingProxy.Start(new IPEndPoint(IPAddress.Loopback, Shared.Port), LinkShape.DataCentre);

    public async Task InitializeAsync()
    {
        Assert.True(Directory.Exists("/usr/share/cargo/registry"), "rust-ws needs Debian's crate sources: run scripts/setup.sh");
        Shared = await DaemonProcess.StartAsync(Work.Combine("shared"), "--capacity", "1G", "--log-memory", "64M");
        UncachedTime = (await CargoBuild.RunAsync(DirectoryCopy.Run(Workload, Uncached), null, Ci)).Run.Elapsed;
        await using var link = Link();
        // Stopping the runner's daemon drains its write-behind queue and records its working set into the shared daemon.
        await using var first = await WrapperDaemon.StartAsync(RunnerSettings(link));
        var cold = await CargoBuild.RunAsync(Checkout("first-runner"), first, Ci);
        Assert.Empty(cold.Units("cache-error"));
    }

    public async Task DisposeAsync()
    {
        await Shared.DisposeAsync();
        Work.Dispose();
    }
}
