using CacheFarm.Linker.Tests.Support;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Linker.Tests;

/// <summary>
/// <c>cachefarm slo</c> with every scenario on tests/workloads/sys-ws (whose build scripts compile C and assembly, run
/// CMake, bindgen and protoc) against a fresh daemon, so the cache starts cold and slo warms it itself. rust-ws runs from
/// the warm dev cache its report tests leave (<see cref="RustWsReportTests"/>).
/// </summary>
public sealed class WorkloadSloTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Slo_measures_every_scenario_of_sys_ws_from_a_cold_cache_fails_only_the_tight_target_and_repeats_against_a_baseline()
    {
        using var temp = new TempDirectory("cf-slo-sys-ws");
        await using var daemon = await DaemonProcess.StartAsync(temp.Combine("daemon"));
        var cargo = new WrappedCargo(daemon, temp.Combine("client"));
        var workspace = await WorkloadSloCheck.RunAsync(cargo, temp, "sys-ws", "sys-app", null, ["cached", "release"], output);
        await WorkloadSloCheck.RunRepeatedAgainstBaselineAsync(cargo, temp, workspace, output);
    }
}
