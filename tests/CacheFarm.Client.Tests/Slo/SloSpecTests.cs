using CacheFarm.Client.Slo;
using CacheFarm.TestSupport;

namespace CacheFarm.Client.Tests.Slo;

/// <summary>The SLO table in Cargo.toml or a config file: settings and targets read, bad input refused with the key named.</summary>
public sealed class SloSpecTests
{
    private static SloSpec FromManifest(string toml)
    {
        using var dir = new TempDirectory("cf-slospec");
        var path = dir.Combine("Cargo.toml");
        File.WriteAllText(path, toml);
        return SloSpec.FromCargoToml(path);
    }

    private static string Error(string toml) => Assert.Throws<SloSpecException>(() => FromManifest(toml)).Message;

    [Fact]
    public void Workspace_metadata_sets_scenarios_touch_repetitions_and_targets()
    {
        var spec = FromManifest("""
            [workspace]
            members = ["a"]

            [workspace.metadata.cachefarm.slo]
            scenarios = ["release", "uncached", "cached"]
            touch = "a/src/lib.rs"
            repetitions = 3

            [workspace.metadata.cachefarm.slo.cached]
            wall_seconds = 20
            wall_ratio = 0.25
            hit_rate = 0.95

            [workspace.metadata.cachefarm.slo.release]
            peak_memory_bytes = 500_000_000
            binary_size_change = -0.10
            """);
        Assert.Equal(["uncached", "cached", "release"], spec.Scenarios.Select(s => s.Name));
        Assert.Equal("a/src/lib.rs", spec.Touch);
        Assert.Equal(3, spec.Repetitions);
        Assert.Equal(
            ["cached.wall_seconds ≤ 20.00 s", "cached.wall_ratio ≤ 0.25×", "cached.hit_rate ≥ 95.0%", "release.peak_memory_bytes ≤ 476.8 MiB", "release.binary_size_change ≤ -10.0%"],
            spec.Targets.Select(t => t.ToString()));
    }

    [Fact]
    public void Package_metadata_is_read_when_the_workspace_has_none()
    {
        var spec = FromManifest("""
            [package]
            name = "p"
            version = "0.1.0"

            [package.metadata.cachefarm.slo.incremental]
            wall_seconds = 5
            """);
        Assert.Equal("incremental.wall_seconds ≤ 5.00 s", Assert.Single(spec.Targets).ToString());
        Assert.Equal(SloScenario.All, spec.Scenarios);
    }

    [Fact]
    public void A_manifest_without_the_table_gives_every_scenario_and_no_target()
    {
        var spec = FromManifest("[package]\nname = \"p\"\nversion = \"0.1.0\"\n");
        Assert.Equal(SloScenario.All, spec.Scenarios);
        Assert.Empty(spec.Targets);
        Assert.Equal(1, spec.Repetitions);
    }

    [Theory]
    [InlineData("[package.metadata.cachefarm.slo.cached]\nwall_minutes = 3\n", "cached.wall_minutes is not a figure")]
    [InlineData("[package.metadata.cachefarm.slo.nightly]\nwall_seconds = 3\n", "nightly is not a setting or a scenario")]
    [InlineData("[package.metadata.cachefarm.slo.cached]\nwall_seconds = \"fast\"\n", "cached.wall_seconds is not a number")]
    [InlineData("[package.metadata.cachefarm.slo.uncached]\nwall_ratio = 1.0\n", "uncached.wall_ratio compares a build with itself")]
    [InlineData("[package.metadata.cachefarm.slo.cached]\nhit_rate = 95\n", "cached.hit_rate is a fraction from 0 to 1")]
    [InlineData("[package.metadata.cachefarm.slo]\nscenarios = [\"cached\", \"nightly\"]\n", "scenarios names 'nightly'")]
    [InlineData("[package.metadata.cachefarm.slo]\nrepetitions = 0\n", "repetitions is not a whole number from 1 to 100")]
    [InlineData("[package.metadata.cachefarm.slo\n", "is not valid TOML")]
    public void A_bad_table_is_refused_with_the_key_named(string toml, string expected) =>
        Assert.Contains(expected, Error(toml), StringComparison.Ordinal);

    [Fact]
    public void A_config_file_holds_the_same_keys_at_its_top_level()
    {
        using var dir = new TempDirectory("cf-slospec");
        var path = dir.Combine("slo.toml");
        File.WriteAllText(path, "scenarios = [\"cached\"]\n[cached]\nlink_seconds = 2.5\n");
        var spec = SloSpec.FromFile(path);
        Assert.Equal([SloScenario.CachedClean], spec.Scenarios);
        Assert.Equal("cached.link_seconds ≤ 2.50 s", Assert.Single(spec.Targets).ToString());
    }

    [Fact]
    public void A_missing_config_file_is_a_clear_error() =>
        Assert.StartsWith("cannot read /nonexistent/slo.toml", Assert.Throws<SloSpecException>(() => SloSpec.FromFile("/nonexistent/slo.toml")).Message, StringComparison.Ordinal);
}
