using System.Text.Json;
using CacheFarm.Linker.Tests.Support;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Linker.Tests;

/// <summary>
/// <c>cachefarm doctor</c> after a real dev-profile build of tests/fixtures/dup-fixture (clap 3 and clap 4 from
/// Debian's registry, and a build script whose output embeds its OUT_DIR path), run on a PATH without mold.
/// </summary>
public sealed class DoctorCommandTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Doctor_reports_the_duplicate_crate_the_incremental_reason_and_the_missing_mold()
    {
        Assert.True(Directory.Exists("/usr/share/cargo/registry/clap-3.2.23") && Directory.Exists("/usr/share/cargo/registry/clap-4.0.32"),
            "the fixture needs Debian's clap 3 and clap 4: run scripts/setup.sh");
        using var temp = new TempDirectory("cf-doctor");
        await using var daemon = await DaemonProcess.StartAsync(temp.Combine("daemon"));
        var cargo = new WrappedCargo(daemon, temp.Combine("client"));
        var workspace = await WorkspaceCopy.MakeAsync(Path.Combine(RepoPaths.Root, "tests", "fixtures", "dup-fixture"), temp.Combine("ws"));
        await cargo.CargoAsync(workspace);

        // A PATH with the toolchain and a C driver, and no mold or lld.
        var bin = Directory.CreateDirectory(temp.Combine("bin")).FullName;
        foreach (var tool in new[] { "cc", "gcc", "ld", "as" })
        {
            File.CreateSymbolicLink(Path.Combine(bin, tool), RustToolchain.Require(tool, "gcc"));
        }
        var env = new Dictionary<string, string?> { ["PATH"] = $"{RustToolchain.BinDirectory}:{bin}" };
        var text = await cargo.CachefarmAsync(workspace, env, "doctor");
        output.WriteLine(text.Stdout + text.Stderr);
        var json = await cargo.CachefarmAsync(workspace, env, "doctor", "--json");
        using var document = JsonDocument.Parse(json.Stdout);
        var findings = document.RootElement.GetProperty("findings").EnumerateArray().ToList();
        string[] Titles(string area) => [.. findings.Where(f => f.GetProperty("area").GetString() == area).Select(f => f.GetProperty("title").GetString()!)];

        Assert.Equal(1, text.ExitCode);
        var duplicate = Assert.Single(findings, f => f.GetProperty("title").GetString() == "clap is compiled in 2 versions (3.2.23, 4.0.32)");
        Assert.Equal("problem", duplicate.GetProperty("severity").GetString());
        var details = duplicate.GetProperty("details").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Contains("clap 3.2.23, pulled in by dup-fixture v0.1.0", details);
        Assert.Contains("clap 4.0.32, pulled in by dup-fixture v0.1.0", details);
        Assert.Contains(details, d => d.StartsWith("compiling it 2 times took ", StringComparison.Ordinal));

        var incremental = Assert.Single(findings, f => f.GetProperty("title").GetString() == "rustc calls not cached: incremental");
        Assert.Contains("CARGO_INCREMENTAL=0", incremental.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains("dup-fixture", incremental.GetProperty("details")[0].GetString(), StringComparison.Ordinal);

        var pathKeyed = Assert.Single(findings, f => f.GetProperty("title").GetString() == "1 entry is keyed by this checkout's path: they hit only in this directory");
        Assert.Equal("dup-fixture/build-script: where.bin embeds the path", pathKeyed.GetProperty("details")[0].GetString());

        Assert.Contains("mold is not installed on this host", Titles("linker"));
        Assert.Contains("lld is not installed on this host", Titles("linker"));
        Assert.Contains(Titles("cache"), t => t.StartsWith("daemon ", StringComparison.Ordinal) && t.Contains(" is up", StringComparison.Ordinal));
        Assert.Contains("debuginfo in dev builds: debug = true", Titles("profiles"));
        Assert.Contains("[problem] dependencies: clap is compiled in 2 versions", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_calls_full_debuginfo_a_problem_only_on_a_ci_run()
    {
        using var temp = new TempDirectory("cf-doctor-ci");
        await using var daemon = await DaemonProcess.StartAsync(temp.Combine("daemon"));
        var cargo = new WrappedCargo(daemon, temp.Combine("client"));
        var workspace = await WorkspaceCopy.MakeAsync(Path.Combine(RepoPaths.Root, "tests", "fixtures", "cc-fixture"), temp.Combine("ws"));

        async Task<JsonElement> DebuginfoFinding(string? ci)
        {
            var run = await cargo.CachefarmAsync(workspace, new Dictionary<string, string?> { ["CI"] = ci }, "doctor", "--json");
            using var document = JsonDocument.Parse(run.Stdout);
            return document.RootElement.GetProperty("findings").EnumerateArray()
                .Single(f => f.GetProperty("title").GetString()!.StartsWith("debuginfo in dev builds", StringComparison.Ordinal)).Clone();
        }

        var local = await DebuginfoFinding(null);
        var ci = await DebuginfoFinding("true");
        Assert.Equal("advice", local.GetProperty("severity").GetString());
        Assert.Equal("debuginfo in dev builds: debug = true", local.GetProperty("title").GetString());
        Assert.Equal("problem", ci.GetProperty("severity").GetString());
        Assert.Equal("debuginfo in dev builds: debug = true (this is a CI run)", ci.GetProperty("title").GetString());
    }
}
