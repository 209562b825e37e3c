using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.CFamily;

/// <summary>
/// One input of a C compile changed at a time, and the cached result checked against the compiler's own: an edited
/// header, a header that appears earlier on the include path, a variable the compiler reads, the clock macros, and a
/// header edit that leaves the preprocessed text as it was (preprocessor mode).
/// </summary>
public sealed class CFamilyKeyTests
{
    private static async Task<List<string>> CompileAllAsync(CProject project, WrapperDaemon daemon, string log, IReadOnlyDictionary<string, string?>? env = null, params string[] extra) =>
        [.. (await CompileAllLoggedAsync(project, daemon, log, env, extra)).Select(e => $"{e.Crate} {e.Outcome}")];

    private static async Task<List<WrapperLogEntry>> CompileAllLoggedAsync(CProject project, WrapperDaemon daemon, string log, IReadOnlyDictionary<string, string?>? env, string[] extra)
    {
        var before = WrapperLogEntry.ReadAll(log).Count;
        foreach (var source in CProject.Sources)
        {
            (await project.CachedAsync(daemon, log, "gcc", CProject.CompileArgs(source, extra), env)).Succeeded("compiling " + source);
        }
        return [.. WrapperLogEntry.ReadAll(log).Skip(before)];
    }

    private static async Task AssertSameAsUncachedAsync(CProject project, IReadOnlyDictionary<string, string?>? env = null, params string[] extra)
    {
        var cached = project.Outputs();
        project.Clean();
        foreach (var source in CProject.Sources)
        {
            (await project.UncachedAsync("gcc", CProject.CompileArgs(source, extra), env)).Succeeded("uncached " + source);
        }
        foreach (var (name, bytes) in project.Outputs())
        {
            Assert.True(bytes.AsSpan().SequenceEqual(cached[name]), $"{name} differs from the uncached compile's");
        }
    }

    [Fact]
    public async Task Editing_a_header_recompiles_exactly_the_sources_that_include_it()
    {
        using var dir = new TempDirectory("cf-ckey");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        await CompileAllAsync(project, daemon, log);
        project.Clean();
        Assert.Equal(["main.c hit", "util.c hit", "other.c hit"], await CompileAllAsync(project, daemon, log));

        project.Write("include/util.h", CProject.Util.Replace("hello", "HELLO", StringComparison.Ordinal));
        project.Clean();
        Assert.Equal(["main.c miss", "util.c miss", "other.c hit"], await CompileAllAsync(project, daemon, log));
        await AssertSameAsUncachedAsync(project);
    }

    [Fact]
    public async Task A_header_that_appears_earlier_on_the_include_path_is_a_miss()
    {
        using var dir = new TempDirectory("cf-ckey");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        await CompileAllAsync(project, daemon, log);
        project.Clean();

        // A quoted include is looked up beside the source before -I../include: util.c and other.c now read src/config.h.
        project.Write("src/config.h", "#define SCALE 5\n");
        Assert.Equal(["main.c hit", "util.c miss", "other.c miss"], await CompileAllAsync(project, daemon, log));
        await AssertSameAsUncachedAsync(project);
    }

    [Fact]
    public async Task A_header_made_in_a_directory_the_include_path_lacked_is_a_miss()
    {
        using var dir = new TempDirectory("cf-ckey");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        var system = "/usr/include/x86_64-linux-gnu/bits/libc-header-start.h";
        Assert.True(File.Exists(system), system + " missing: the libc6-dev headers are needed");
        // Directories vouch for the absences found in them only once their stamps have settled.
        await Task.Delay(TimeSpan.FromTicks(FileStamp.RacyWindowNs / 100) + TimeSpan.FromMilliseconds(200));
        await CompileAllAsync(project, daemon, log);
        project.Clean();
        Assert.Equal(["main.c hit", "util.c hit", "other.c hit"], await CompileAllAsync(project, daemon, log));
        project.Clean();

        // stdio.h includes <bits/libc-header-start.h>, looked for under -I../include first, where bits/ did not exist.
        Directory.CreateDirectory(project.Checkout + "/include/bits");
        project.Write("include/bits/libc-header-start.h", File.ReadAllText(system) + "\nstatic const int shadowed = 1;\n");
        Assert.Equal(["main.c miss", "util.c hit", "other.c hit"], await CompileAllAsync(project, daemon, log));
        await AssertSameAsUncachedAsync(project);
    }

    [Fact]
    public async Task A_variable_the_compiler_reads_is_keyed()
    {
        using var dir = new TempDirectory("cf-ckey");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        Directory.CreateDirectory(project.Checkout + "/override");
        File.WriteAllText(project.Checkout + "/override/config.h", "#define SCALE 7\n");
        await CompileAllAsync(project, daemon, log);
        project.Clean();

        // CPATH adds an include directory after -I: the compiler read the variable, so each compile must miss.
        var env = new Dictionary<string, string?> { ["CPATH"] = project.Checkout + "/override" };
        Assert.Equal(["main.c miss", "util.c miss", "other.c miss"], await CompileAllAsync(project, daemon, log, env));
        await AssertSameAsUncachedAsync(project, env);
    }

    [Fact]
    public async Task Time_is_never_replayed_and_the_date_only_on_the_same_day()
    {
        using var dir = new TempDirectory("cf-ckey");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        project.Write("src/stamp.c", "const char *built_at = __TIME__;\n");
        project.Write("src/dated.c", "const char *built_on = __DATE__;\n");
        foreach (var _ in new[] { 1, 2 })
        {
            (await project.CachedAsync(daemon, log, "gcc", ["-c", "../src/stamp.c", "-o", "stamp.o"])).Succeeded("stamp");
            (await project.CachedAsync(daemon, log, "gcc", ["-c", "../src/dated.c", "-o", "dated.o"])).Succeeded("dated");
        }
        var entries = WrapperLogEntry.ReadAll(log);
        Assert.Equal(["not-cacheable", "miss", "not-cacheable", "hit"], entries.Select(e => e.Outcome));
        Assert.StartsWith("__TIME__ in", entries[0].Reason, StringComparison.Ordinal);

        // With SOURCE_DATE_EPOCH the compiler takes the time from the variable, which the key holds.
        var fixedClock = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" };
        (await project.CachedAsync(daemon, log, "gcc", ["-c", "../src/stamp.c", "-o", "stamp.o"], fixedClock)).Succeeded("stamp");
        var stored = File.ReadAllBytes(Path.Combine(project.Build, "stamp.o"));
        (await project.CachedAsync(daemon, log, "gcc", ["-c", "../src/stamp.c", "-o", "stamp.o"], fixedClock)).Succeeded("stamp");
        Assert.Equal(["miss", "hit"], WrapperLogEntry.ReadAll(log).Skip(4).Select(e => e.Outcome));
        (await project.UncachedAsync("gcc", ["-c", "../src/stamp.c", "-o", "stamp.o"], fixedClock)).Succeeded("uncached");
        Assert.Equal(File.ReadAllBytes(Path.Combine(project.Build, "stamp.o")), stored);
    }

    [Fact]
    public async Task The_file_stamp_macro_is_never_stored_even_with_a_fixed_clock()
    {
        using var dir = new TempDirectory("cf-ckey");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        project.Write("src/stamp.c", "const char *changed_at = __TIMESTAMP__;\n");
        var fixedClock = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" };

        // __TIMESTAMP__ is the source's modification time, which SOURCE_DATE_EPOCH does not fix: a touch changes the object.
        (await project.CachedAsync(daemon, log, "gcc", ["-c", "../src/stamp.c", "-o", "stamp.o"], fixedClock)).Succeeded("stamp");
        var entry = Assert.Single(WrapperLogEntry.ReadAll(log));
        Assert.Equal("not-cacheable", entry.Outcome);
        Assert.StartsWith("__TIMESTAMP__ in", entry.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gcc (Debian 12.2.0-14) 12.2.0", true)]
    [InlineData("g++ (GCC) 6.3.0", false)]
    [InlineData("Debian clang version 14.0.6", false)]
    [InlineData("clang version 17.0.1 (https://github.com/llvm/llvm-project)", true)]
    [InlineData("tcc version 0.9.27", false)]
    public void Only_a_compiler_that_honours_it_takes_the_clock_from_source_date_epoch(string versionLine, bool honours) =>
        Assert.Equal(honours, new CacheFarm.Client.CFamily.CompilerIdentity("digest", versionLine).HonorsSourceDateEpoch);

    [Fact]
    public async Task A_remembered_match_is_dropped_when_a_header_changes_or_appears()
    {
        using var dir = new TempDirectory("cf-ckey");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        // Stamps this fresh are never remembered (a write in the same clock tick would not change them).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await CompileAllAsync(project, daemon, log);
        project.Clean();
        Assert.Equal(["main.c hit", "util.c hit", "other.c hit"], await CompileAllAsync(project, daemon, log));
        var remembered = Path.Combine(daemon.DataDirectory, "memo", "lookups");
        Assert.Equal(3, Directory.GetFiles(remembered).Length);
        project.Clean();
        Assert.Equal(["main.c hit", "util.c hit", "other.c hit"], await CompileAllAsync(project, daemon, log));

        project.Write("src/config.h", "#define SCALE 5\n");
        project.Clean();
        Assert.Equal(["main.c hit", "util.c miss", "other.c miss"], await CompileAllAsync(project, daemon, log));
        await AssertSameAsUncachedAsync(project);

        project.Write("include/util.h", CProject.Util.Replace("hello", "HELLO", StringComparison.Ordinal));
        project.Clean();
        Assert.Equal(["main.c miss", "util.c miss", "other.c hit"], await CompileAllAsync(project, daemon, log));
        await AssertSameAsUncachedAsync(project);
    }

    // util.h with a comment on a line that had none: the preprocessed text of every source including it is unchanged.
    private static readonly string CommentedUtil = CProject.Util.Replace("int twice(int x);", "int twice(int x); /* doubles x */", StringComparison.Ordinal);

    [Fact]
    public async Task A_header_comment_edit_hits_in_preprocessor_mode_and_gives_the_uncached_objects()
    {
        using var dir = new TempDirectory("cf-ckey");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        // Without warnings (-w): some read comments or macro origins, which the text does not keep.
        await CompileAllAsync(project, daemon, log, null, "-w");

        project.Write("include/util.h", CommentedUtil);
        project.Clean();
        var entries = await CompileAllLoggedAsync(project, daemon, log, null, ["-w"]);
        Assert.Equal(["main.c hit", "util.c hit", "other.c hit"], entries.Select(e => $"{e.Crate} {e.Outcome}"));
        // util.h changed, so the traced candidates no longer match: the two sources that include it hit by their text.
        Assert.Equal([true, true, false], entries.Select(e => e.Detail.StartsWith("preprocessed ", StringComparison.Ordinal)));
        await AssertSameAsUncachedAsync(project, null, "-w");

        // A new greeting changes main.c's text, which prints it, but not util.c's, which does not use it.
        project.Write("include/util.h", CommentedUtil.Replace("hello", "HELLO", StringComparison.Ordinal));
        project.Clean();
        entries = await CompileAllLoggedAsync(project, daemon, log, null, ["-w"]);
        Assert.Equal(["main.c miss", "util.c hit", "other.c hit"], entries.Select(e => $"{e.Crate} {e.Outcome}"));
        Assert.StartsWith("preprocessed ", entries[1].Detail, StringComparison.Ordinal);
        await AssertSameAsUncachedAsync(project, null, "-w");
    }

    [Theory]
    [InlineData("-w -g")]
    [InlineData("-w -fsanitize=undefined")]
    [InlineData("-Wall")]
    public async Task Preprocessor_mode_stays_off_when_the_output_depends_on_more_than_the_preprocessed_text(string flags)
    {
        using var dir = new TempDirectory("cf-ckey");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        var extra = flags.Split(' ');
        await CompileAllAsync(project, daemon, log, null, extra);

        // Debug info and sanitizer checks record columns; warnings may read comments, macro origins and indentation.
        project.Write("include/util.h", CommentedUtil);
        project.Clean();
        Assert.Equal(["main.c miss", "util.c miss", "other.c hit"], await CompileAllAsync(project, daemon, log, null, extra));
        // Debug info names the checkout, which cachefarm maps: the uncached compile gets the same map.
        await AssertSameAsUncachedAsync(project, null, [.. extra, $"-ffile-prefix-map={project.Checkout}=/cachefarm/ws"]);
    }
}
