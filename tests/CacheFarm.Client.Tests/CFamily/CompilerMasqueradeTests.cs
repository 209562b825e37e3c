using CacheFarm.Client.CFamily;
using CacheFarm.Client.Processes;
using CacheFarm.Client.Tracing;

namespace CacheFarm.Client.Tests.CFamily;

/// <summary>The published cachefarm under a compiler's name on PATH (a build script's shim), running the real gcc with prefix maps added.</summary>
public sealed class CompilerMasqueradeTests
{
    // psm's assembly: debug info names the source and the directory it was assembled in.
    private const string Assembly = "    .text\n    .globl probe\nprobe:\n    ret\n";

    private static string Shims(TempDirectory dir)
    {
        var shims = Directory.CreateDirectory(dir.Combine("shims")).FullName;
        foreach (var name in CompilerNames.Plain)
        {
            File.CreateSymbolicLink(Path.Combine(shims, name), RepoPaths.ClientBinary);
        }
        return shims;
    }

    private static string Checkout(TempDirectory dir, string name)
    {
        var checkout = Directory.CreateDirectory(dir.Combine(name, "src")).Parent!.FullName;
        File.WriteAllText(Path.Combine(checkout, "src", "probe.S"), Assembly);
        return checkout;
    }

    private static byte[] Compile(string compiler, string checkout, IReadOnlyDictionary<string, string> env, params string[] extra)
    {
        var obj = Path.Combine(checkout, "probe.o");
        var code = ChildProcess.Run("/bin/sh", ["-c", $"cd {checkout} && {compiler} -g -c src/probe.S -o probe.o {string.Join(' ', extra)}"], quiet: false, env);
        Assert.Equal(0, code);
        return File.ReadAllBytes(obj);
    }

    private static Dictionary<string, string> ShimEnvironment(string shims, string checkout) => new()
    {
        ["PATH"] = shims + ":" + Environment.GetEnvironmentVariable("PATH"),
        [CompilerMasquerade.PrefixMapsVariable] = checkout + "=/cachefarm/ws",
        // The shim's own behaviour, without a daemon: the call passes through with the maps.
        ["CACHEFARM_NO_CACHE"] = "1",
    };

    [Fact]
    public void An_object_compiled_through_the_shim_is_what_gcc_gives_with_the_maps_and_the_same_in_every_checkout()
    {
        using var dir = new TempDirectory("cf-shim");
        var shims = Shims(dir);
        var first = Checkout(dir, "first");
        var second = Checkout(dir, "second-place");

        var shimmed = Compile("cc", first, ShimEnvironment(shims, first));
        var elsewhere = Compile("cc", second, ShimEnvironment(shims, second));
        var direct = Compile("cc", first, new Dictionary<string, string>(), $"-ffile-prefix-map={first}=/cachefarm/ws");
        var plain = Compile("cc", first, new Dictionary<string, string>());

        Assert.Equal(direct, shimmed);
        Assert.Equal(shimmed, elsewhere);
        Assert.NotEqual(plain, shimmed);
        Assert.Contains(first, System.Text.Encoding.Latin1.GetString(plain), StringComparison.Ordinal);
    }

    [Fact]
    public void Under_the_tracer_a_shimmed_compile_records_the_real_compiler_and_none_of_cachefarms_own_runtime()
    {
        using var dir = new TempDirectory("cf-shim");
        var shims = Shims(dir);
        var checkout = Checkout(dir, "ws");
        var library = Path.Combine(RepoPaths.ArtifactsBin, ProcessTracer.LibraryName);
        var log = dir.Combine("trace.log");
        File.WriteAllBytes(log, []);
        var env = ShimEnvironment(shims, checkout);
        env["LD_PRELOAD"] = library;
        env["CACHEFARM_TRACE_FILE"] = log;
        env["CACHEFARM_TRACE_LIB"] = library;

        Compile("cc", checkout, env);
        var trace = TraceLog.Parse(File.ReadLines(log));

        Assert.Contains(trace.Executed, p => p.EndsWith("/as", StringComparison.Ordinal) || p.EndsWith("-as", StringComparison.Ordinal));
        Assert.Contains(trace.Executed, p => Path.GetFileName(p).Contains("gcc", StringComparison.Ordinal));
        Assert.DoesNotContain(RepoPaths.ClientBinary, trace.Executed);
        Assert.DoesNotContain(trace.Variables, v => v.StartsWith("DOTNET_", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(checkout, "src", "probe.S"), trace.Read);
    }
}
