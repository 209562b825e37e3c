using CacheFarm.Client.Rustc;
using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.Rustc;

public sealed class RustcArgsParserTests
{
    // label (TestData/cargo-command-lines.txt) | crate name | crate types | emits | externs | -L paths | --cfg count | test harness
    public static TheoryData<string, string?, string, string, int, int, int, bool> CargoLines => new()
    {
        { "ws-registry-lib", "autocfg", "lib", "dep-info,metadata,link", 0, 1, 0, false },
        { "ws-lib-with-externs-and-cfgs", "syn", "lib", "dep-info,metadata,link", 3, 1, 9, false },
        { "ws-build-script", "build_script_build", "bin", "dep-info,link", 0, 1, 2, false },
        { "ws-proc-macro", "serde_derive", "proc-macro", "dep-info,link", 4, 1, 1, false },
        { "ws-bin-incremental", "ws_cli", "bin", "dep-info,link", 6, 1, 0, false },
        { "ws-lib-with-rustc-cfgs", "libc", "lib", "dep-info,metadata,link", 0, 1, 15, false },
        { "fixture-build-script", "build_script_build", "bin", "dep-info,link", 0, 1, 0, false },
        { "fixture-lib", "genlib", "lib", "dep-info,metadata,link", 0, 1, 0, false },
        { "fixture-proc-macro", "fixmacro", "proc-macro", "dep-info,link", 1, 1, 0, false },
        { "fixture-cdylib", "fixcdylib", "cdylib", "dep-info,link", 0, 1, 0, false },
        { "fixture-bin", "fixapp", "bin", "dep-info,link", 2, 1, 0, false },
        { "fixture-test-harness", "genlib", "", "dep-info,link", 0, 1, 0, true },
        { "fixture-integration-test", "describe", "", "dep-info,link", 1, 1, 0, true },
        { "fixture-check", "genlib", "lib", "dep-info,metadata", 0, 1, 0, false },
        { "fixture-release-bin", "fixapp", "bin", "dep-info,link", 2, 1, 0, false },
        { "build-script-probe", "anyhow_build", "lib", "metadata", 0, 0, 0, false },
    };

    [Theory]
    [MemberData(nameof(CargoLines))]
    public void Parses_the_command_lines_cargo_emits(string label, string? crateName, string crateTypes, string emits, int externs, int searchPaths, int cfgs, bool test)
    {
        var args = RustcArgsParser.Parse(CargoCommandLines.Arguments(label));

        Assert.Null(args.ParseError);
        Assert.Equal(crateName, args.CrateName);
        Assert.Equal(crateTypes, string.Join(',', args.CrateTypes));
        Assert.Equal(emits, string.Join(',', args.Emits.Select(e => e.Kind)));
        Assert.Equal(externs, args.Externs.Count);
        Assert.Equal(searchPaths, args.SearchPaths.Count);
        Assert.Equal(cfgs, args.Options.Count(o => o.Name == "--cfg"));
        Assert.Equal(test, args.Test);
        Assert.Single(args.Inputs);
        Assert.NotNull(args.OutDir);
    }

    [Fact]
    public void Reads_codegen_options_in_separate_and_attached_forms()
    {
        var args = RustcArgsParser.Parse(["lib.rs", "-C", "opt-level=3", "-Cdebuginfo=2", "--codegen", "embed_bitcode=no", "--codegen=prefer-dynamic"]);

        Assert.Equal("3", args.CodegenValue("opt-level"));
        Assert.Equal("2", args.CodegenValue("debuginfo"));
        Assert.Equal("no", args.CodegenValue("embed-bitcode"));
        Assert.True(args.HasCodegen("prefer-dynamic"));
        Assert.Equal(4, args.Options.Count(o => o.Name == "-C"));
    }

    [Fact]
    public void Appended_arguments_parse_as_if_they_were_on_the_same_command_line()
    {
        string[] first = ["main.rs", "--crate-type", "bin", "-C", "opt-level=1"];
        string[] added = ["-C", "link-arg=-fuse-ld=mold", "-Clinker-features=-lld"];
        var appended = RustcArgsParser.Parse(first);

        RustcArgsParser.Append(appended, added);

        var whole = RustcArgsParser.Parse([.. first, .. added]);
        Assert.Equal(whole.Options, appended.Options);
        Assert.Equal(whole.Codegen, appended.Codegen);
        Assert.Equal(whole.Inputs, appended.Inputs);
    }

    [Fact]
    public void Reads_externs_with_modifiers_and_without_paths()
    {
        var args = RustcArgsParser.Parse(["lib.rs", "--extern", "serde=/t/libserde.rlib", "--extern", "priv,noprelude:log=/t/liblog.rmeta", "--extern", "proc_macro"]);

        Assert.Equal(new ExternCrate("serde", "/t/libserde.rlib", ""), args.Externs[0]);
        Assert.Equal(new ExternCrate("log", "/t/liblog.rmeta", "priv,noprelude"), args.Externs[1]);
        Assert.Equal(new ExternCrate("proc_macro", null, ""), args.Externs[2]);
    }

    [Fact]
    public void Reads_library_search_paths_and_native_libraries_in_every_form()
    {
        var args = RustcArgsParser.Parse(["lib.rs", "-L", "dependency=/t/deps", "-Lnative=/o/out", "-L", "/plain", "-l", "static=foo", "-lz", "-l", "dylib:+verbatim=bar:baz"]);

        Assert.Equal([new("dependency", "/t/deps"), new("native", "/o/out"), new("all", "/plain")], args.SearchPaths);
        Assert.Equal([new("static", "foo"), new("", "z"), new("dylib", "bar")], args.NativeLibraries);
    }

    [Fact]
    public void Reads_long_options_with_equals_or_separate_values()
    {
        var args = RustcArgsParser.Parse(["--crate-name=a", "--crate-type", "rlib,staticlib", "--emit", "link,metadata", "--error-format", "json",
            "--json=artifacts", "--target", "wasm32-unknown-unknown", "--cap-lints=warn", "--remap-path-prefix", "/a=/b",
            "--diagnostic-width=120", "--color", "always", "--edition", "2021", "--check-cfg", "cfg(x)", "-Zthreads=2", "-Z", "time-passes", "lib.rs"]);

        Assert.Null(args.ParseError);
        Assert.Equal("a", args.CrateName);
        Assert.Equal(["rlib", "staticlib"], args.CrateTypes);
        Assert.Equal(["link", "metadata"], args.Emits.Select(e => e.Kind));
        Assert.Equal("json", args.ErrorFormat);
        Assert.Equal("wasm32-unknown-unknown", args.Target);
        Assert.Equal(["threads=2", "time-passes"], args.Options.Where(o => o.Name == "-Z").Select(o => o.Value));
        Assert.Contains(new RustcOption("--remap-path-prefix", "/a=/b"), args.Options);
        Assert.Contains(new RustcOption("--diagnostic-width", "120"), args.Options);
    }

    [Fact]
    public void Splits_grouped_short_flags_like_the_version_probe()
    {
        var args = RustcArgsParser.Parse(CargoCommandLines.Arguments("cargo-version-probe"));

        Assert.True(args.AsksVersion);
        Assert.Equal(["-v", "-V"], args.Options.Select(o => o.Name));
        Assert.Empty(args.Inputs);
    }

    [Fact]
    public void Treats_a_lone_dash_as_stdin_input()
    {
        var args = RustcArgsParser.Parse(CargoCommandLines.Arguments("cargo-file-names-probe"));

        Assert.Equal(["-"], args.Inputs);
        Assert.Equal(6, args.CrateTypes.Count);
        Assert.Equal(5, args.Prints.Count);
    }

    [Fact]
    public void Keeps_emit_paths()
    {
        var args = RustcArgsParser.Parse(["lib.rs", "--emit=dep-info=/tmp/x.d,link"]);

        Assert.Equal([new EmitRequest("dep-info", "/tmp/x.d"), new EmitRequest("link", null)], args.Emits);
    }

    [Fact]
    public void Reports_an_unknown_option_instead_of_guessing()
    {
        Assert.Equal("unknown option --frobnicate", RustcArgsParser.Parse(["lib.rs", "--frobnicate"]).ParseError);
        Assert.Equal("--crate-name needs a value", RustcArgsParser.Parse(["lib.rs", "--crate-name"]).ParseError);
    }

    [Fact]
    public void Expands_argfiles_one_argument_per_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("args"), "--crate-name\nfrom_file\r\n--cfg\nfeature=\"a b\"\n\n--edition=2021\n");

        var expanded = ArgFileExpander.Expand(["lib.rs", "@args", "-O"], dir.Path);

        Assert.Equal(["lib.rs", "--crate-name", "from_file", "--cfg", "feature=\"a b\"", "", "--edition=2021", "-O"], expanded);
    }
}
