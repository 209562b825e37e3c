using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Tests.CachedCommands;

public sealed class CheckoutRootsTests
{
    private static CheckoutRoots WorkspaceMember(string workspace) => CheckoutRoots.Detect(
        RustcArgsParser.Parse(["genlib/src/lib.rs", "--crate-name", "genlib", "--out-dir", workspace + "/target/debug/deps", "-L", "dependency=" + workspace + "/target/debug/deps"]),
        workspace,
        Env(("CARGO_MANIFEST_DIR", workspace + "/genlib"), ("CARGO_PKG_NAME", "genlib"), ("CARGO_PKG_VERSION", "0.1.0"), ("CARGO_HOME", "/home/u/.cargo")));

    private static CheckoutRoots RegistryCrate(string registry, string workspace) => CheckoutRoots.Detect(
        RustcArgsParser.Parse([registry + "/serde-1.0.152/src/lib.rs", "--crate-name", "serde", "--out-dir", workspace + "/target/debug/deps", "-L", "dependency=" + workspace + "/target/debug/deps"]),
        registry + "/serde-1.0.152",
        Env(("CARGO_MANIFEST_DIR", registry + "/serde-1.0.152"), ("CARGO_PKG_NAME", "serde"), ("CARGO_PKG_VERSION", "1.0.152"), ("CARGO_HOME", "/home/u/.cargo")));

    [Fact]
    public void Normalises_the_same_file_in_two_checkouts_to_the_same_text()
    {
        var a = WorkspaceMember("/home/u/src/a");
        var b = WorkspaceMember("/tmp/elsewhere/b");

        Assert.Equal(a.Normalize("/home/u/src/a/genlib/data/x.txt"), b.Normalize("/tmp/elsewhere/b/genlib/data/x.txt"));
        Assert.Equal(a.Normalize("/home/u/src/a/target/debug/build/g-1/out/gen.rs"), b.Normalize("/tmp/elsewhere/b/target/debug/build/g-1/out/gen.rs"));
        Assert.Equal(a.Normalize("/home/u/src/a"), b.Normalize("/tmp/elsewhere/b"));
    }

    [Fact]
    public void Finds_the_registry_a_dependency_was_unpacked_in_for_directory_sources_and_cargo_home()
    {
        var debian = RegistryCrate("/usr/share/cargo/registry", "/w");
        var cratesIo = RegistryCrate("/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f", "/w");

        Assert.Equal("/usr/share/cargo/registry", debian.Get(CheckoutRoots.Registry)?.Path);
        Assert.Equal(debian.Normalize("/usr/share/cargo/registry/serde-1.0.152/src/de.rs"), cratesIo.Normalize("/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde-1.0.152/src/de.rs"));
        Assert.Null(debian.Get(CheckoutRoots.Workspace));
    }

    [Fact]
    public void Leaves_relative_and_foreign_paths_alone()
    {
        var roots = WorkspaceMember("/w");

        Assert.Equal("genlib/src/lib.rs", roots.Normalize("genlib/src/lib.rs"));
        Assert.Equal("/usr/include/stdio.h", roots.Normalize("/usr/include/stdio.h"));
        Assert.Equal("/w2/x", roots.Normalize("/w2/x"));
    }

    [Fact]
    public void Resolves_normalised_paths_in_another_checkout()
    {
        var a = WorkspaceMember("/a");
        var b = WorkspaceMember("/b/c");

        Assert.Equal("/b/c/target/debug/build/g-1/out/gen.rs", b.Resolve(a.Normalize("/a/target/debug/build/g-1/out/gen.rs")));
        Assert.Equal("/b/c/genlib/src/lib.rs", b.Resolve("genlib/src/lib.rs"));
    }

    [Fact]
    public void Rewrites_paths_inside_texts_only_at_path_boundaries()
    {
        var a = WorkspaceMember("/a/ws");
        var b = WorkspaceMember("/b/other");
        var text = "/a/ws/target/debug/deps/x.d: genlib/src/lib.rs /a/ws/target/debug/build/g/out/gen.rs /a/ws2/not-ours.rs\n";

        var moved = Encoding.UTF8.GetString(b.ExpandText(a.NormalizeText(Encoding.UTF8.GetBytes(text)), jsonEscape: false));

        Assert.Equal("/b/other/target/debug/deps/x.d: genlib/src/lib.rs /b/other/target/debug/build/g/out/gen.rs /a/ws2/not-ours.rs\n", moved);
    }

    [Fact]
    public void Rewrites_a_path_glued_to_a_one_letter_compiler_flag_but_not_one_inside_a_longer_path()
    {
        var a = WorkspaceMember("/a/ws");
        var b = WorkspaceMember("/b/other");
        var text = "C_INCLUDES = -I/a/ws/native/csrc -L/a/ws/lib x/a/ws/kept --include=/a/ws/h.h\n";

        var moved = Encoding.UTF8.GetString(b.ExpandText(a.NormalizeText(Encoding.UTF8.GetBytes(text)), jsonEscape: false));

        Assert.Equal("C_INCLUDES = -I/b/other/native/csrc -L/b/other/lib x/a/ws/kept --include=/b/other/h.h\n", moved);
    }

    [Fact]
    public void Escapes_restored_paths_inside_json()
    {
        var a = WorkspaceMember("/a");
        var b = WorkspaceMember("/b/with\"quote");
        var json = "{\"artifact\":\"/a/target/debug/deps/libx.rmeta\",\"emit\":\"metadata\"}";

        var moved = Encoding.UTF8.GetString(b.ExpandText(a.NormalizeText(Encoding.UTF8.GetBytes(json)), jsonEscape: true));

        Assert.Equal("{\"artifact\":\"/b/with\\\"quote/target/debug/deps/libx.rmeta\",\"emit\":\"metadata\"}", moved);
    }

    [Fact]
    public void Remaps_nested_roots_after_their_parents()
    {
        var remaps = RemapArguments.For(WorkspaceMember("/w"));

        Assert.Equal(["--remap-path-prefix=/w=/cachefarm/ws", "--remap-path-prefix=/w/target=/cachefarm/target", "--remap-path-prefix=/home/u/.cargo=/cachefarm/cargo-home"], remaps);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;
}
