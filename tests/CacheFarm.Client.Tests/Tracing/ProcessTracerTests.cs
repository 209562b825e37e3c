using CacheFarm.Client.Processes;
using CacheFarm.Client.Tracing;

namespace CacheFarm.Client.Tests.Tracing;

/// <summary>The published tracer library loaded into real programs: a shell, coreutils, gcc, a static binary.</summary>
public sealed class ProcessTracerTests
{
    private static TraceLog Trace(TempDirectory dir, string script)
    {
        var library = Path.Combine(RepoPaths.ArtifactsBin, ProcessTracer.LibraryName);
        Assert.True(File.Exists(library), $"{library} is missing: run scripts/build.sh");
        var log = dir.Combine("trace.log");
        File.WriteAllBytes(log, []);
        var env = new Dictionary<string, string> { ["LD_PRELOAD"] = library, ["CACHEFARM_TRACE_FILE"] = log, ["CACHEFARM_TRACE_LIB"] = library };
        Assert.Equal(0, ChildProcess.Run("/bin/sh", ["-c", script], quiet: true, env));
        return TraceLog.Parse(File.ReadLines(log));
    }

    [Fact]
    public void Follows_children_even_when_they_drop_the_preload_and_records_what_they_read_list_run_and_write()
    {
        using var dir = new TempDirectory("cf-tracer");
        File.WriteAllText(dir.Combine("input.txt"), "x");
        File.WriteAllText(dir.Combine("hidden.txt"), "y");
        var log = Trace(dir, $"cat {dir.Combine("input.txt")}; env -u LD_PRELOAD -u CACHEFARM_TRACE_FILE cat {dir.Combine("hidden.txt")}; ls {dir.Path}; "
            + $"test -e {dir.Combine("nothing")}; echo $HOME >/dev/null; printf z > {dir.Combine("made.txt")}");

        Assert.Contains(dir.Combine("input.txt"), log.Read);
        Assert.Contains(dir.Combine("hidden.txt"), log.Read);
        Assert.Contains(dir.Path, log.Listed);
        Assert.Contains(dir.Combine("made.txt"), log.Written);
        Assert.Contains(log.Executed, p => p.EndsWith("/cat", StringComparison.Ordinal));
        Assert.Contains(log.Executed, p => p.EndsWith("/env", StringComparison.Ordinal));
        Assert.Contains(dir.Combine("nothing"), log.Absent.Concat(log.LookedUp));
        // ls asks getenv how to quote names (dash keeps its own variables and asks nobody).
        Assert.Contains("QUOTING_STYLE", log.Variables);
        Assert.Empty(log.Escapes);
        Assert.False(log.UsedNetwork);
    }

    [Fact]
    public void A_static_program_is_reported_as_an_escape()
    {
        using var dir = new TempDirectory("cf-tracer");
        Assert.True(File.Exists("/sbin/ldconfig"), "/sbin/ldconfig (a static program on Debian) is missing");

        var log = Trace(dir, "/sbin/ldconfig --version >/dev/null");

        Assert.Contains(log.Escapes, e => e.StartsWith("static program", StringComparison.Ordinal) && e.EndsWith("ldconfig", StringComparison.Ordinal));
    }

    [Fact]
    public void A_header_the_compiler_reads_is_recorded_and_so_are_the_include_directories_it_searched_in_vain()
    {
        using var dir = new TempDirectory("cf-tracer");
        Directory.CreateDirectory(dir.Combine("inc"));
        Directory.CreateDirectory(dir.Combine("empty"));
        File.WriteAllText(dir.Combine("inc", "probe.h"), "#define P 1\n");
        File.WriteAllText(dir.Combine("a.c"), "#include \"probe.h\"\nint p = P;\n");

        var log = Trace(dir, $"cd {dir.Path} && cc -I empty -I inc -c a.c -o a.o");

        Assert.Contains(dir.Combine("inc", "probe.h"), log.Read);
        Assert.Contains(dir.Combine("empty", "probe.h"), log.Absent);
        Assert.Contains(dir.Combine("a.o"), log.Written);
        Assert.Contains(log.Executed, p => p.EndsWith("/cc1", StringComparison.Ordinal));
    }
}
