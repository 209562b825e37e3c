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

    private static async Task<string> RunAppAsync(string ws)
    {
        var run = await ProcessRun.RunAsync(Path.Combine(ws, "target", "debug", "app"), [], ws, new Dictionary<string, string?>());
        Assert.Equal(0, run.ExitCode);
        return run.Stdout;
    }

    private static async Task<BuildReport> CleanBuildAsync(string ws, DaemonProcess daemon, Dictionary<string, string?> env)
    {
        await CargoBuild.RunAsync(ws, null, null, "clean");
        return await CargoBuild.RunAsync(ws, daemon, env);
    }

    [Fact]
    public async Task A_changed_static_library_outside_the_checkout_is_linked_again()
    {
        using var work = new TempDirectory("cf-link-static");
        await using var daemon = await DaemonProcess.StartAsync();
        var outside = work.Combine("sdk", "lib");
        var env = new Dictionary<string, string?> { ["RUSTFLAGS"] = "-L native=" + outside };
        var ws = WriteApp(work.Combine("ws"), "#[link(name = \"cfvalue\", kind = \"static\")]");
        await BuildLibraryAsync(outside, "cfvalue", 1);
        await CargoBuild.RunAsync(ws, daemon, env);

        await BuildLibraryAsync(outside, "cfvalue", 2);
        var rebuilt = await CleanBuildAsync(ws, daemon, env);
        var uncached = WriteApp(work.Combine("uncached"), "#[link(name = \"cfvalue\", kind = \"static\")]");
        await CargoBuild.RunAsync(uncached, null, env);

        Assert.Equal(["app/app"], rebuilt.Units("miss"));
        Assert.Equal("value 2\n", await RunAppAsync(uncached));
        Assert.Equal(await RunAppAsync(uncached), await RunAppAsync(ws));
    }

    [Fact]
    public async Task A_changed_response_file_is_linked_again()
    {
        using var work = new TempDirectory("cf-link-rsp");
        await using var daemon = await DaemonProcess.StartAsync();
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

        Assert.Equal(["app/app"], rebuilt.Units("miss"));
        Assert.Equal("value 2\n", await RunAppAsync(uncached));
        Assert.Equal(await RunAppAsync(uncached), await RunAppAsync(ws));
    }
}
