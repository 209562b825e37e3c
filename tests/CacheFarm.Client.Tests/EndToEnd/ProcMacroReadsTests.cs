using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// A proc-macro that reads a template file and an environment variable behind rustc's back (neither is in the
/// crate's dep-info): after either changes, a clean build through the cache gives what an uncached build gives.
/// </summary>
public sealed class ProcMacroReadsTests
{
    private const string Variable = "TEMPLATE_FLAVOR";

    private static string Write(string ws, string template)
    {
        var files = new Dictionary<string, string>
        {
            ["Cargo.toml"] = "[workspace]\nmembers = [\"templater\", \"app\"]\nresolver = \"2\"\n\n[profile.dev]\nincremental = false\n",
            ["templater/Cargo.toml"] = "[package]\nname = \"templater\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\nproc-macro = true\n",
            ["templater/src/lib.rs"] = $$"""
                use proc_macro::TokenStream;

                /// Reads templates/greeting.txt and {{Variable}} at expansion time, as askama-like crates do.
                #[proc_macro]
                pub fn greeting(_input: TokenStream) -> TokenStream {
                    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
                    let text = std::fs::read_to_string(format!("{dir}/../templates/greeting.txt")).unwrap();
                    let flavor = std::env::var("{{Variable}}").unwrap_or_else(|_| "plain".to_string());
                    format!("pub const GREETING: &str = {:?};", format!("{} ({})", text.trim(), flavor)).parse().unwrap()
                }
                """,
            ["app/Cargo.toml"] = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ntemplater = { path = \"../templater\" }\n",
            ["app/src/main.rs"] = "templater::greeting!();\n\nfn main() {\n    println!(\"{GREETING}\");\n}\n",
            ["templates/greeting.txt"] = template,
        };
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(ws, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
        return ws;
    }

    private static async Task<string> RunAppAsync(string ws) =>
        (await ProcessRun.RunAsync(Path.Combine(ws, "target", "debug", "app"), [], ws, new Dictionary<string, string?>())).Stdout;

    [Fact]
    public async Task A_changed_file_a_proc_macro_reads_is_a_miss_and_gives_the_uncached_output()
    {
        using var work = new TempDirectory("cf-macro-file");
        await using var daemon = await WrapperDaemon.StartAsync();
        var env = new Dictionary<string, string?> { [Variable] = "salted" };
        await CargoBuild.RunAsync(Write(work.Combine("first", "ws"), "hello"), daemon, env);

        var changed = await CargoBuild.RunAsync(Write(work.Combine("second", "ws"), "goodbye"), daemon, env);
        var uncached = Write(work.Combine("uncached", "ws"), "goodbye");
        await CargoBuild.RunAsync(uncached, null, env);

        Assert.Contains("app/app", changed.Units("miss"));
        Assert.Contains("templater/templater", changed.Units("hit"));
        Assert.Equal("goodbye (salted)\n", await RunAppAsync(uncached));
        Assert.Equal(await RunAppAsync(uncached), await RunAppAsync(work.Combine("second", "ws")));
    }

    [Fact]
    public async Task A_changed_variable_a_proc_macro_reads_is_a_miss_and_gives_the_uncached_output()
    {
        using var work = new TempDirectory("cf-macro-env");
        await using var daemon = await WrapperDaemon.StartAsync();
        await CargoBuild.RunAsync(Write(work.Combine("first", "ws"), "hello"), daemon, new Dictionary<string, string?> { [Variable] = "salted" });

        var changedEnv = new Dictionary<string, string?> { [Variable] = "peppered" };
        var changed = await CargoBuild.RunAsync(Write(work.Combine("second", "ws"), "hello"), daemon, changedEnv);
        var uncached = Write(work.Combine("uncached", "ws"), "hello");
        await CargoBuild.RunAsync(uncached, null, changedEnv);

        Assert.Contains("app/app", changed.Units("miss"));
        Assert.Equal("hello (peppered)\n", await RunAppAsync(uncached));
        Assert.Equal(await RunAppAsync(uncached), await RunAppAsync(work.Combine("second", "ws")));
    }

    [Fact]
    public async Task An_unchanged_checkout_elsewhere_still_hits_every_crate()
    {
        using var work = new TempDirectory("cf-macro-same");
        await using var daemon = await WrapperDaemon.StartAsync();
        var env = new Dictionary<string, string?> { [Variable] = "salted" };
        await CargoBuild.RunAsync(Write(work.Combine("first", "ws"), "hello"), daemon, env);

        var again = await CargoBuild.RunAsync(Write(work.Combine("second", "elsewhere", "ws"), "hello"), daemon, env);
        var uncached = Write(work.Combine("uncached", "ws"), "hello");
        await CargoBuild.RunAsync(uncached, null, env);

        Assert.Empty(again.Units("miss"));
        Assert.Equal(["app/app", "templater/templater"], again.Units("hit"));
        Assert.Equal(await RunAppAsync(uncached), await RunAppAsync(work.Combine("second", "elsewhere", "ws")));
    }
}
