using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Tests.Rustc;

public sealed class DepInfoFileTests
{
    // What rustc 1.95 writes for a lib with include!, include_str! and env! (captured from the fixture).
    private const string GenlibDepInfo = """
        /w/target/debug/deps/genlib-1.d: genlib/src/lib.rs /w/target/debug/build/genlib-2/out/generated.rs genlib/src/../data/greeting.txt

        /w/target/debug/deps/libgenlib-1.rlib: genlib/src/lib.rs /w/target/debug/build/genlib-2/out/generated.rs genlib/src/../data/greeting.txt

        genlib/src/lib.rs:
        /w/target/debug/build/genlib-2/out/generated.rs:
        genlib/src/../data/greeting.txt:

        # env-dep:FIXTURE_FLAVOR=vanilla
        # env-dep:OUT_DIR=/w/target/debug/build/genlib-2/out

        """;

    [Fact]
    public void Lists_every_file_the_crate_read_once_in_order()
    {
        var depInfo = DepInfoFile.Parse(GenlibDepInfo);

        Assert.Equal(["genlib/src/lib.rs", "/w/target/debug/build/genlib-2/out/generated.rs", "genlib/src/../data/greeting.txt"], depInfo.Files);
    }

    [Fact]
    public void Reads_env_dependencies_with_values()
    {
        var depInfo = DepInfoFile.Parse(GenlibDepInfo);

        Assert.Equal([new("FIXTURE_FLAVOR", "vanilla"), new("OUT_DIR", "/w/target/debug/build/genlib-2/out")], depInfo.EnvDeps);
    }

    [Fact]
    public void Tells_an_unset_variable_from_an_empty_one()
    {
        var depInfo = DepInfoFile.Parse("a.d: a.rs\n\na.rs:\n\n# env-dep:UNSET\n# env-dep:EMPTY=\n");

        Assert.Equal([new("UNSET", null), new("EMPTY", "")], depInfo.EnvDeps);
    }

    [Fact]
    public void Unescapes_spaces_in_paths_and_newlines_in_values()
    {
        var depInfo = DepInfoFile.Parse("out.d: src/my\\ file.rs src/b.rs\n\nsrc/my\\ file.rs:\nsrc/b.rs:\n\n# env-dep:MULTI=one\\ntwo\\\\three\n");

        Assert.Equal(["src/my file.rs", "src/b.rs"], depInfo.Files);
        Assert.Equal("one\ntwo\\three", depInfo.EnvDeps[0].Value);
    }
}
