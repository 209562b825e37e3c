using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// Files outside the checkout that only the linker reads: after one changes, `cargo clean && cargo build`
/// through the cache gives what an uncached build gives.
/// </summary>
public sealed class LinkInputsTests
{
    private static string WriteApp(string ws, string declaration)
    {
        Directory.CreateDirectory(Path.Combine(ws, "src"));
        File.WriteAllText(Path.Combine(ws, "Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[profile.dev]\nincremental = false\n");
        File.WriteAllText(Path.Combine(ws, "src", "main.rs"), declaration + "\nextern \"C\" {\n    fn cf_value() -> i32;\n}\n\nfn main() {\n    println!(\"value {}\", unsafe { cf_value() });\n}\n");
        return ws;
    }

    // A static C library at a fixed path outside every checkout, as a system or vendored SDK library is.
    private static async Task BuildLibraryAsync(string dir, string name, int value)
    {
        Directory.CreateDirectory(dir);
        var source = Path.Combine(dir, name + ".c");
        File.WriteAllText(source, $"int cf_value(void) {{ return {value}; }}\n");
        var obj = Path.Combine(dir, name + ".o");
        var library = Path.Combine(dir, $"lib{name}.a");
        File.Delete(library);
        var none = new Dictionary<string, string?>();
        Assert.Equal(0, (await ProcessRun.RunAsync("cc", ["-c", "-fPIC", "-o", obj, source], dir, none)).ExitCode);
        Assert.Equal(0, (await ProcessRun.RunAsync("ar", ["rcs", library, obj], dir, none)).ExitCode);
    }

    private static Task<string> RunAppAsync(string ws) => ProgramOutput.OfBinaryAsync(ws, "app");

    // Only the binary links again, and it prints what the uncached build's binary prints: the changed input's value.
    private static async Task AssertLinkedAgainAsync(BuildReport rebuilt, string ws, string uncached, string expected)
    {
        Assert.Equal(["app/app"], rebuilt.Units("miss"));
        Assert.Equal(expected, await RunAppAsync(uncached));
        Assert.Equal(await RunAppAsync(uncached), await RunAppAsync(ws));
    }

    private static async Task<BuildReport> CleanBuildAsync(string ws, WrapperDaemon daemon, Dictionary<string, string?> env)
    {
        await CargoBuild.RunAsync(ws, null, null, "clean");
        return await CargoBuild.RunAsync(ws, daemon, env);
    }

    [Fact]
    public async Task A_changed_static_library_outside_the_checkout_is_linked_again()
    {
        using var work = new TempDirectory("cf-link-static");
        await using var daemon = await WrapperDaemon.StartAsync();
        var outside = work.Combine("sdk", "lib");
        var env = new Dictionary<string, string?> { ["RUSTFLAGS"] = "-L native=" + outside };
        var ws = WriteApp(work.Combine("ws"), "#[link(name = \"cfvalue\", kind = \"static\")]");
        await BuildLibraryAsync(outside, "cfvalue", 1);
        await CargoBuild.RunAsync(ws, daemon, env);

        await BuildLibraryAsync(outside, "cfvalue", 2);
        var rebuilt = await CleanBuildAsync(ws, daemon, env);
        var uncached = WriteApp(work.Combine("uncached"), "#[link(name = \"cfvalue\", kind = \"static\")]");
        await CargoBuild.RunAsync(uncached, null, env);

        await AssertLinkedAgainAsync(rebuilt, ws, uncached, "value 2\n");
    }

    [Fact]
    public async Task A_changed_response_file_is_linked_again()
    {
        using var work = new TempDirectory("cf-link-rsp");
        await using var daemon = await WrapperDaemon.StartAsync();
        var outside = work.Combine("sdk");
        await BuildLibraryAsync(outside, "one", 1);
        await BuildLibraryAsync(outside, "two", 2);
        var rsp = Path.Combine(outside, "link.rsp");
        var env = new Dictionary<string, string?> { ["RUSTFLAGS"] = "-C link-arg=@" + rsp };
        var ws = WriteApp(work.Combine("ws"), "");
        File.WriteAllText(rsp, Path.Combine(outside, "libone.a") + "\n");
        await CargoBuild.RunAsync(ws, daemon, env);

        File.WriteAllText(rsp, Path.Combine(outside, "libtwo.a") + "\n");
        var rebuilt = await CleanBuildAsync(ws, daemon, env);
        var uncached = WriteApp(work.Combine("uncached"), "");
        await CargoBuild.RunAsync(uncached, null, env);

        await AssertLinkedAgainAsync(rebuilt, ws, uncached, "value 2\n");
    }

    // cortex-m-rt's pattern: the build script copies a linker script into OUT_DIR, adds OUT_DIR to the search path and
    // names the script with -T, so the binary's rustc arguments stay the same whatever the script says.
    private static string WriteScriptApp(string ws, string assignment)
    {
        Directory.CreateDirectory(Path.Combine(ws, "src"));
        File.WriteAllText(Path.Combine(ws, "Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[profile.dev]\nincremental = false\n");
        File.WriteAllText(Path.Combine(ws, "build.rs"), """
            use std::{env, fs, path::PathBuf};

            fn main() {
                let out = PathBuf::from(env::var("OUT_DIR").unwrap());
                fs::copy("value.x", out.join("value.x")).unwrap();
                println!("cargo:rustc-link-search={}", out.display());
                println!("cargo:rustc-link-arg=-Tvalue.x");
                println!("cargo:rerun-if-changed=value.x");
            }

            """);
        File.WriteAllText(Path.Combine(ws, "src", "main.rs"), """
            #[no_mangle]
            pub extern "C" fn cf_value_one() -> i32 {
                1
            }

            #[no_mangle]
            pub extern "C" fn cf_value_two() -> i32 {
                2
            }

            extern "C" {
                fn cf_value() -> i32;
            }

            fn main() {
                println!("one {} two {} value {}", cf_value_one(), cf_value_two(), unsafe { cf_value() });
            }

            """);
        File.WriteAllText(Path.Combine(ws, "value.x"), assignment + "\n");
        return ws;
    }

    [Fact]
    public async Task A_changed_linker_script_in_OUT_DIR_found_through_the_search_path_is_linked_again()
    {
        using var work = new TempDirectory("cf-link-script");
        await using var daemon = await WrapperDaemon.StartAsync();
        // rustc's own lld reads a script of assignments alongside its default layout (GNU ld would take it as the whole layout).
        var env = new Dictionary<string, string?> { ["CACHEFARM_LINKER"] = "default" };
        var ws = WriteScriptApp(work.Combine("ws"), "cf_value = cf_value_one;");
        await CargoBuild.RunAsync(ws, daemon, env);
        Assert.Equal("one 1 two 2 value 1\n", await RunAppAsync(ws));

        File.WriteAllText(Path.Combine(ws, "value.x"), "cf_value = cf_value_two;\n");
        var rebuilt = await CleanBuildAsync(ws, daemon, env);
        var uncached = WriteScriptApp(work.Combine("uncached"), "cf_value = cf_value_two;");
        await CargoBuild.RunAsync(uncached, null, null);

        await AssertLinkedAgainAsync(rebuilt, ws, uncached, "one 1 two 2 value 2\n");
    }
}
