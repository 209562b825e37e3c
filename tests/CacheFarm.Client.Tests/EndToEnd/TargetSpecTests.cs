using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// A custom target named without `.json` is read from RUST_TARGET_PATH: after its spec changes,
/// `cargo clean && cargo build` through the cache gives what an uncached build gives.
/// </summary>
public sealed class TargetSpecTests
{
    private const string Target = "cfarm-none";

    // Stable rustc builds for a custom target only without core, so the crate declares the few lang items it needs;
    // RUSTC_BOOTSTRAP lets stable accept the features and the unstable option custom targets require.
    private static string WriteCrate(string ws)
    {
        Directory.CreateDirectory(Path.Combine(ws, "src"));
        File.WriteAllText(Path.Combine(ws, "Cargo.toml"), "[package]\nname = \"bare\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[profile.dev]\nincremental = false\n");
        File.WriteAllText(Path.Combine(ws, "src", "lib.rs"), """
            #![allow(internal_features)]
            #![feature(no_core, lang_items)]
            #![no_core]

            #[lang = "pointee_sized"]
            pub trait PointeeSized {}
            #[lang = "meta_sized"]
            pub trait MetaSized: PointeeSized {}
            #[lang = "sized"]
            pub trait Sized: MetaSized {}

            #[cfg(target_feature = "avx2")]
            #[unsafe(no_mangle)]
            pub extern "C" fn cf_built_for_avx2() -> u32 {
                2
            }

            """);
        return ws;
    }

    private static void WriteSpec(string dir, string cpu)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, Target + ".json"), $$"""
            {
              "arch": "x86_64",
              "cpu": "{{cpu}}",
              "data-layout": "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128",
              "llvm-target": "x86_64-unknown-none-elf",
              "panic-strategy": "abort",
              "target-pointer-width": 64
            }

            """);
    }

    private static string Library(string ws) => Path.Combine(ws, "target", Target, "debug", "libbare.rlib");

    private static async Task<string> SymbolsAsync(string library)
    {
        var run = await ProcessRun.RunAsync("nm", ["--defined-only", library], Path.GetDirectoryName(library)!, new Dictionary<string, string?>());
        Assert.Equal(0, run.ExitCode);
        return run.Stdout;
    }

    [Fact]
    public async Task A_changed_target_spec_found_through_RUST_TARGET_PATH_is_compiled_again()
    {
        using var work = new TempDirectory("cf-target-spec");
        await using var daemon = await WrapperDaemon.StartAsync();
        var specs = work.Combine("specs");
        var env = new Dictionary<string, string?>
        {
            ["RUST_TARGET_PATH"] = specs,
            ["RUSTC_BOOTSTRAP"] = "1",
            ["RUSTFLAGS"] = "-Zunstable-options",
            // Without remapping the wrapper passes rustc the build's own arguments, so the library can equal the uncached one byte for byte.
            ["CACHEFARM_REMAP_PATHS"] = "0",
        };
        var ws = WriteCrate(work.Combine("ws"));
        WriteSpec(specs, "x86-64");
        var first = await CargoBuild.RunAsync(ws, daemon, env, "build", "--target", Target);
        Assert.Equal(["bare/bare"], first.Units("miss"));
        Assert.DoesNotContain("cf_built_for_avx2", await SymbolsAsync(Library(ws)));

        WriteSpec(specs, "x86-64-v3");
        await CargoBuild.RunAsync(ws, null, null, "clean");
        var rebuilt = await CargoBuild.RunAsync(ws, daemon, env, "build", "--target", Target);
        var cached = await File.ReadAllBytesAsync(Library(ws));
        await CargoBuild.RunAsync(ws, null, null, "clean");
        await CargoBuild.RunAsync(ws, null, env, "build", "--target", Target);

        Assert.Equal(["bare/bare"], rebuilt.Units("miss"));
        Assert.Contains("cf_built_for_avx2", await SymbolsAsync(Library(ws)));
        Assert.Equal(await File.ReadAllBytesAsync(Library(ws)), cached);
    }
}
