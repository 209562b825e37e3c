using System.Globalization;
using CacheFarm.LoadGen.Scenarios;

namespace CacheFarm.LoadGen.Cli;

/// <summary>Turns the command line into <see cref="LoadGenOptions"/>, rejecting anything out of range.</summary>
internal static class LoadGenOptionsParser
{
    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        var defaults = new LoadGenOptions { Scenarios = [ScenarioCatalog.BlobRead1M], Targets = [] };
        var workload = defaults.Workload;
        var options = defaults;
        var targets = new List<TargetSpec>();
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                var (name, inlineValue) = SplitInline(args[i]);
                string Value() => inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value"));
                switch (name)
                {
                    case "--help" or "-h":
                        return ParsedCommandLine.Help;
                    case "--target":
                        targets.Add(TargetSpec.TryParse(Value(), out var spec, out var error) ? spec! : throw new UsageException(error));
                        break;
                    case "--scenario":
                        options = options with { Scenarios = ParseScenarios(Value()) };
                        break;
                    case "--concurrency":
                        options = options with { Concurrency = Int(name, Value(), 1, 256) };
                        break;
                    case "--warmup":
                        options = options with { Warmup = Seconds(name, Value(), 0) };
                        break;
                    case "--duration":
                        options = options with { Duration = Seconds(name, Value(), 1) };
                        break;
                    case "--requests":
                        options = options with { Requests = Int(name, Value(), 1, 100_000_000) };
                        break;
                    case "--max-run-time":
                        options = options with { MaxRunTime = Seconds(name, Value(), 1) };
                        break;
                    case "--op-timeout":
                        options = options with { OperationTimeout = Seconds(name, Value(), 1) };
                        break;
                    case "--rounds":
                        options = options with { Rounds = Int(name, Value(), 1, 50) };
                        break;
                    case "--namespace":
                        options = options with { Namespace = NamespaceName(Value()) };
                        break;
                    case "--daemon-pid":
                        options = options with { DaemonPid = Int(name, Value(), 1, int.MaxValue) };
                        break;
                    case "--daemon-pidfile":
                        options = options with { DaemonPidFile = Value() };
                        break;
                    case "--redis-pid":
                        options = options with { RedisPid = Int(name, Value(), 1, int.MaxValue) };
                        break;
                    case "--json":
                        options = options with { JsonPath = Value() };
                        break;
                    case "--markdown":
                        options = options with { MarkdownPath = Value() };
                        break;
                    case "--corpus":
                        workload = workload with { CorpusBlobs = Int(name, Value(), 1, 4096) };
                        break;
                    case "--chunk-size":
                        workload = workload with { WriteChunkBytes = ChunkSize(Value()) };
                        break;
                    case "--find-batch":
                        workload = workload with { FindMissingBatch = Int(name, Value(), 2, 10_000) };
                        break;
                    case "--entries":
                        workload = workload with { Entries = Int(name, Value(), 1, 100_000) };
                        break;
                    case "--large-mib":
                        workload = workload with { LargeBlobMiB = Int(name, Value(), 2, 4096) };
                        break;
                    case "--large-iterations":
                        workload = workload with { LargeIterations = Int(name, Value(), 1, 1000) };
                        break;
                    case "--large-concurrency":
                        workload = workload with { LargeConcurrency = Int(name, Value(), 1, 16) };
                        break;
                    case "--verify":
                        workload = workload with { VerifyReads = true };
                        break;
                    case "--seed":
                        workload = workload with { Seed = SeedValue(Value()) };
                        break;
                    default:
                        throw new UsageException($"unknown option '{args[i]}'");
                }
            }
        }
        catch (UsageException ex)
        {
            return ParsedCommandLine.Failed(ex.Message);
        }
        return Validate(options with { Targets = targets, Workload = workload });
    }

    private static ParsedCommandLine Validate(LoadGenOptions options)
    {
        if (options.Targets.Count == 0)
        {
            return ParsedCommandLine.Failed("give at least one --target");
        }
        if (options.Targets.GroupBy(t => t.Kind).Any(g => g.Count() > 1))
        {
            return ParsedCommandLine.Failed("give at most one --target of each kind");
        }
        if (options.DaemonPid is not null && options.DaemonPidFile is not null)
        {
            return ParsedCommandLine.Failed("give --daemon-pid or --daemon-pidfile, not both");
        }
        return new ParsedCommandLine(options, null, false);
    }

    private static (string Name, string? InlineValue) SplitInline(string token)
    {
        var equals = token.IndexOf('=');
        return token.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (token[..equals], token[(equals + 1)..])
            : (token, null);
    }

    private static IReadOnlyList<string> ParseScenarios(string text)
    {
        if (text == "all")
        {
            return ScenarioCatalog.Names;
        }
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !ScenarioCatalog.Names.Contains(n)).ToList();
        if (names.Length == 0 || unknown.Count > 0)
        {
            throw new UsageException(
                $"unknown scenario '{string.Join(",", unknown)}'; known: {string.Join(", ", ScenarioCatalog.Names)}");
        }
        return names.Distinct().ToList();
    }

    private static int Int(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"{name} must be an integer in [{min}, {max}], got '{text}'");
        }
        return value;
    }

    private static TimeSpan Seconds(string name, string text, double min)
    {
        const double maxSeconds = 24 * 3600;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > maxSeconds)
        {
            throw new UsageException($"{name} must be a number of seconds in [{min}, {maxSeconds}], got '{text}'");
        }
        return TimeSpan.FromSeconds(value);
    }

    private static ulong SeedValue(string text) =>
        ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new UsageException($"--seed must be a non-negative integer, got '{text}'");

    private static int ChunkSize(string text)
    {
        var value = Int("--chunk-size", text, 4096, 8 * WorkloadSettings.MiB);
        // Generated content is produced in 8-byte words, so chunks must start on word boundaries.
        return value % 4096 == 0 ? value : throw new UsageException($"--chunk-size must be a multiple of 4096, got {value}");
    }

    private static string NamespaceName(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? text
            : throw new UsageException($"--namespace must be 1–64 characters of [A-Za-z0-9._-], got '{text}'");
}
