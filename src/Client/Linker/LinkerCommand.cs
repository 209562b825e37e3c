using System.Globalization;
using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Linker;

/// <summary><c>cachefarm linker [--detect] [--reset]</c>: what detection found on this host, what auto has measured, and the linker it would use now and why.</summary>
public static class LinkerCommand
{
    public const string Usage = "usage: cachefarm linker [--detect] [--reset]";

    public static async Task<int> RunAsync(string[] args, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var detect = args.Contains("--detect");
        var dataDirectory = Connection.DaemonEndpoint.DefaultDataDirectory(env);
        if (args.Contains("--reset"))
        {
            File.Delete(LinkerLearningStore.PathIn(dataDirectory));
            Console.WriteLine("cachefarm: forgot the linker timings; auto starts measuring again");
        }
        var cwd = Environment.CurrentDirectory;
        var rustc = ExecutableLookup.Find(env("RUSTC") is { Length: > 0 } r ? r : "rustc", env("PATH"), cwd);
        if (rustc is null)
        {
            await Console.Error.WriteLineAsync("cachefarm: rustc not found on PATH (set RUSTC)").ConfigureAwait(false);
            return 2;
        }
        var toolchain = await ToolchainIdentity.ResolveAsync(rustc, Path.Combine(dataDirectory, "memo"), cancellationToken).ConfigureAwait(false);
        var inventory = await LinkerInventoryCache.LoadAsync(dataDirectory, env("PATH") ?? "", cwd, toolchain, detect, cancellationToken).ConfigureAwait(false);
        Console.Write(Describe(inventory, toolchain, LinkerPolicy.Parse(env(LinkerPolicy.Variable)), env(LinkerCandidates.FilterVariable), LinkerLearningStore.Read(dataDirectory), dataDirectory));
        return 0;
    }

    public static string Describe(LinkerInventory inventory, ToolchainIdentity toolchain, LinkerPolicy policy, string? filter, LinkerLearning learning, string dataDirectory)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line($"policy        CACHEFARM_LINKER={policy.Kind.ToString().ToLowerInvariant()}{(policy.Unrecognised is { } u ? $" ('{u}' not understood)" : "")}");
        Line($"toolchain     {toolchain.VersionLine} on {toolchain.Host}");
        var toolchainLinker = inventory.Toolchain(toolchain.Sysroot);
        Line(toolchainLinker is { DefaultIsSelfContainedLld: true }
            ? $"rustc default rust-lld, self-contained ({toolchainLinker.RustLldVersion})"
            : "rustc default the C driver's own linker");
        if (inventory.Driver is { } driver)
        {
            Line($"driver        {driver.Binary.Path} -> {driver.ResolvedPath}: {driver.Family} {driver.Version} (-fuse-ld=mold {(driver.VersionSupportsMold ? "supported: gcc >= 12.1 or clang" : "not supported by this version")})");
        }
        else
        {
            Line("driver        no cc on PATH: cachefarm leaves linking to rustc");
        }
        Line("linkers");
        foreach (var linker in inventory.Linkers)
        {
            var note = linker.Name == "gold" ? "; never chosen (rustc warns gold is deprecated)" : "";
            Line($"  {linker.Name,-5} {linker.Binary.Path,-22} {linker.Version}");
            Line($"        cc -fuse-ld={linker.Name}: {(linker.DriverAccepts ? "works" + (linker.DriverUses.Length > 0 ? " (runs " + linker.DriverUses + ")" : "") : "refused")}{note}");
        }
        if (toolchainLinker is not null && inventory.Driver is not null)
        {
            var available = LinkerCandidates.Available(inventory, toolchainLinker);
            var candidates = LinkerCandidates.ForAuto(available, filter);
            var scores = LinkerRanking.Score(learning.Samples, [.. candidates.Select(c => c.Name)]);
            Line($"learning      {learning.Samples.Count} shadow links over {learning.Links} links ({LinkerLearningStore.PathIn(dataDirectory)})");
            foreach (var candidate in candidates)
            {
                var score = scores[candidate.Name];
                var relative = score.Relative is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:0.00}x") : "-";
                Line(string.Create(CultureInfo.InvariantCulture,
                    $"  {candidate.Display,-10} {relative,7}  {score.Samples,3} samples, {score.MeasuredUs / 1e6:0.00} s measured{(score.Settled ? "" : ", still measuring")}"));
            }
            var choice = LinkerSelector.Choose(policy, available, candidates, learning);
            Line($"choice        {choice.Candidate.Display}: {choice.Reason}");
            Line($"rustc args    {(choice.Candidate.RustcArgs.Count == 0 ? "(none: rustc's own choice)" : string.Join(' ', choice.Candidate.RustcArgs))}");
        }
        Line($"detected      {DateTimeOffset.FromUnixTimeMilliseconds(inventory.DetectedUnixMs).ToLocalTime():yyyy-MM-dd HH:mm:ss} ({LinkerInventoryCache.PathIn(dataDirectory)}; again when PATH or a linker changes, or with --detect)");
        return text.ToString();
    }
}
