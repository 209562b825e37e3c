using CacheFarm.Client.CFamily;
using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.CFamily;

/// <summary>
/// The ways a C compiler reaches cachefarm (an argument, a link under the compiler's name, a CMake launcher) and
/// the calls it hands straight to the compiler, each counted with its reason.
/// </summary>
public sealed class CFamilyCommandTests
{
    [Fact]
    public async Task Calls_that_are_not_single_compiles_run_the_compiler_and_are_counted_with_a_reason()
    {
        using var dir = new TempDirectory("cf-ccmd");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        project.Write("src/conftest.c", "int main(void) { return 0; }\n");
        foreach (var source in CProject.Sources)
        {
            (await project.CachedAsync(daemon, log, "gcc", CProject.CompileArgs(source))).Succeeded(source);
        }
        (await project.CachedAsync(daemon, log, "gcc", ["main.o", "util.o", "other.o", "-o", "prog"])).Succeeded("link");
        var preprocessed = (await project.CachedAsync(daemon, log, "gcc", ["-E", "-I../include", "../src/util.c"])).Succeeded("-E");
        (await project.CachedAsync(daemon, log, "gcc", ["-M", "-I../include", "../src/util.c"])).Succeeded("-M");
        (await project.CachedAsync(daemon, log, "gcc", ["-c", "-I../include", "../src/util.c", "../src/other.c"])).Succeeded("two sources");
        (await project.CachedAsync(daemon, log, "gcc", ["-c", "../src/conftest.c", "-o", "conftest.o"])).Succeeded("conftest");
        File.WriteAllText(Path.Combine(project.Build, "args.rsp"), "-I../include -c '../src/util.c' -o util-rsp.o");
        (await project.CachedAsync(daemon, log, "gcc", ["@args.rsp"])).Succeeded("response file");

        Assert.Contains("SCALE", (await project.UncachedAsync("gcc", ["-E", "-dM", "../include/config.h"])).Stdout, StringComparison.Ordinal);
        Assert.Contains("int twice", preprocessed.Stdout, StringComparison.Ordinal);
        var run = (await ProcessRun.RunAsync(Path.Combine(project.Build, "prog"), [], project.Build, new Dictionary<string, string?>())).Succeeded("prog");
        Assert.Equal("hello 42 3\n", run.Stdout);
        var entries = WrapperLogEntry.ReadAll(log).Skip(3).Select(e => $"{e.Outcome} {e.Reason}");
        Assert.Equal(
            ["not-compilation link", "not-compilation preprocessor output", "not-compilation dependency listing only",
             "not-cacheable multiple input files", "not-cacheable configure probe", "miss "],
            entries);
        var stats = await daemon.StatsAsync();
        Assert.Equal(2, stats.NonCacheableReasons.Where(r => r.Key is "multiple input files" or "configure probe").Sum(r => r.Value));
    }

    [Fact]
    public async Task Cachefarm_linked_under_a_compilers_name_caches_and_finds_the_real_compiler()
    {
        using var dir = new TempDirectory("cf-ccmd");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        var masquerade = Directory.CreateDirectory(dir.Combine("bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(masquerade, "gcc"), RepoPaths.ClientBinary);
        var env = daemon.Environment;
        env["CACHEFARM_LOG"] = log;
        env["PATH"] = masquerade + ":" + Environment.GetEnvironmentVariable("PATH");
        foreach (var _ in new[] { 1, 2 })
        {
            project.Clean();
            (await ProcessRun.RunAsync(Path.Combine(masquerade, "gcc"), CProject.CompileArgs("util"), project.Build, env)).Succeeded("gcc link");
            // `cachefarm gcc` with the link first on PATH must find the real gcc, not call itself.
            (await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["gcc", .. CProject.CompileArgs("other")], project.Build, env)).Succeeded("cachefarm gcc");
        }
        Assert.Equal(["miss", "miss", "hit", "hit"], WrapperLogEntry.ReadAll(log).Select(e => e.Outcome));
    }

    [Fact]
    public async Task A_cmake_project_built_with_the_launcher_is_all_hits_after_a_clean_and_its_tests_pass()
    {
        using var dir = new TempDirectory("cf-cmake");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var source = Directory.CreateDirectory(dir.Combine("src")).FullName;
        File.WriteAllText(Path.Combine(source, "CMakeLists.txt"), """
            cmake_minimum_required(VERSION 3.16)
            project(launched C CXX)
            enable_testing()
            add_library(calc STATIC calc.c)
            add_executable(check check.cpp)
            target_link_libraries(check calc)
            add_test(NAME check COMMAND check)
            """);
        File.WriteAllText(Path.Combine(source, "calc.h"), "#ifdef __cplusplus\nextern \"C\"\n#endif\nint calc(int);\n");
        File.WriteAllText(Path.Combine(source, "calc.c"), "#include \"calc.h\"\nint calc(int x) { return x * 3; }\n");
        File.WriteAllText(Path.Combine(source, "check.cpp"), "#include <string>\n#include \"calc.h\"\nint main() { return std::to_string(calc(14)) == \"42\" ? 0 : 1; }\n");
        var build = Directory.CreateDirectory(dir.Combine("build")).FullName;
        var env = daemon.Environment;
        env["CACHEFARM_LOG"] = log;
        (await ProcessRun.RunAsync("cmake", ["-S", source, "-B", build, "-DCMAKE_C_COMPILER_LAUNCHER=" + RepoPaths.ClientBinary, "-DCMAKE_CXX_COMPILER_LAUNCHER=" + RepoPaths.ClientBinary], build, env)).Succeeded("cmake configure");
        foreach (var _ in new[] { 1, 2 })
        {
            (await ProcessRun.RunAsync("cmake", ["--build", build, "--clean-first"], build, env)).Succeeded("cmake build");
            (await ProcessRun.RunAsync("ctest", ["--test-dir", build, "--output-on-failure"], build, env)).Succeeded("ctest");
        }
        // CMake's own probes (compiler identification) may come through the launcher too: only the project's sources count here.
        var compiles = WrapperLogEntry.ReadAll(log).Where(e => e.Crate is "calc.c" or "check.cpp").Select(e => $"{e.Crate} {e.Outcome}").ToList();
        Assert.Equal(["calc.c miss", "check.cpp miss"], compiles.Take(2).Order());
        Assert.Equal(["calc.c hit", "check.cpp hit"], compiles.Skip(2).Order());
        Assert.True(CompilerNames.Recognizes("/usr/bin/x86_64-linux-gnu-g++-12"));
        Assert.False(CompilerNames.Recognizes("/usr/bin/rustc"));
    }
}
