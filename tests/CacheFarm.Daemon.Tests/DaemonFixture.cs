using CacheFarm.TestSupport;

namespace CacheFarm.Daemon.Tests;

/// <summary>One daemon shared by the tests of a class, on a 1 GiB local tier.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("cfd");

    public DaemonProcess Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await DaemonProcess.StartAsync(_dir.Path, "--capacity", "1G");

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        _dir.Dispose();
    }
}
