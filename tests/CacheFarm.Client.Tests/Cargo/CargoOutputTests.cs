using CacheFarm.Client.Cargo;
using CacheFarm.Client.Doctor;
using CacheFarm.TestSupport;

namespace CacheFarm.Client.Tests.Cargo;

/// <summary>What cachefarm reads from cargo's own outputs: the timings page, artifact messages and cargo tree --duplicates.</summary>
public sealed class CargoOutputTests
{
    [Fact]
    public void Build_script_time_is_the_sum_of_the_run_custom_build_units()
    {
        const string page = """
            <script>
            const UNIT_DATA = [
              {"i": 0, "name": "cc", "mode": "todo", "target": "", "duration": 0.53},
              {"i": 1, "name": "ring", "mode": "run-custom-build", "target": " build-script (run)", "duration": 4.25},
              {"i": 2, "name": "psm", "mode": "run-custom-build", "target": " build-script (run)", "duration": 0.75}
            ];
            const CONCURRENCY_DATA = [];
            </script>
            """;
        Assert.Equal(5.0, CargoTimings.BuildScriptSecondsIn(page));
        Assert.Null(CargoTimings.BuildScriptSecondsIn("<html>no data</html>"));
    }

    [Fact]
    public void Final_binaries_are_the_workspace_executables_and_shared_libraries()
    {
        using var dir = new TempDirectory("cf-artifacts");
        var exe = dir.Combine("app");
        var so = dir.Combine("libplug.so");
        File.WriteAllBytes(exe, new byte[300]);
        File.WriteAllBytes(so, new byte[200]);
        var artifacts = new CargoArtifacts(["path+file:///ws#app@0.1.0", "path+file:///ws#plug@0.1.0"]);
        artifacts.Add($$"""{"reason":"compiler-artifact","package_id":"path+file:///ws#app@0.1.0","target":{"kind":["bin"]},"filenames":["{{exe}}"],"executable":"{{exe}}","fresh":false}""");
        artifacts.Add($$"""{"reason":"compiler-artifact","package_id":"path+file:///ws#plug@0.1.0","target":{"kind":["cdylib"]},"filenames":["{{so}}"],"executable":null,"fresh":false}""");
        artifacts.Add("""{"reason":"compiler-artifact","package_id":"registry+https://github.com/rust-lang/crates.io-index#clap@4.0.32","target":{"kind":["bin"]},"filenames":["/x/clap"],"executable":"/x/clap","fresh":false}""");
        artifacts.Add("""{"reason":"build-finished","success":true}""");
        artifacts.Add("not json");
        Assert.Equal(new Dictionary<string, long> { ["app"] = 300, ["libplug.so"] = 200 }, artifacts.Sizes());
    }

    [Fact]
    public void Cargo_tree_duplicates_gives_each_version_and_its_direct_dependents()
    {
        const string output = """
            clap v3.2.23
            └── dup-fixture v0.1.0 (/work/dup-fixture)

            clap v4.0.32
            ├── dup-fixture v0.1.0 (/work/dup-fixture)
            └── other v1.0.0
                └── dup-fixture v0.1.0 (/work/dup-fixture)

            """;
        var versions = DuplicateCrateCheck.Parse(output);
        Assert.Equal(2, versions.Count);
        Assert.Equal(("clap", "3.2.23"), (versions[0].Name, versions[0].Version));
        Assert.Equal(["dup-fixture v0.1.0"], versions[0].PulledInBy);
        Assert.Equal(("clap", "4.0.32"), (versions[1].Name, versions[1].Version));
        Assert.Equal(["dup-fixture v0.1.0", "other v1.0.0"], versions[1].PulledInBy);
    }

    [Fact]
    public void A_version_cargo_tree_lists_once_per_feature_set_is_one_version()
    {
        const string output = """
            libc v0.2.139
            └── ring v0.16.20

            libc v0.2.139
            ├── atty v0.2.14
            └── ring v0.16.20

            """;
        var versions = DuplicateCrateCheck.Distinct(DuplicateCrateCheck.Parse(output)).ToList();
        var libc = Assert.Single(versions);
        Assert.Equal(("libc", "0.2.139"), (libc.Name, libc.Version));
        Assert.Equal(["ring v0.16.20", "atty v0.2.14"], libc.PulledInBy);
    }
}
