using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Reports.Recording;
using Grpc.Core;

namespace CacheFarm.Client.Reports;

/// <summary>
/// <c>cachefarm report</c>: the last build from this host (or the last N side by side) as text or JSON, and the HTML
/// report written into the build's cargo target directory (target/cachefarm-report.html).
/// </summary>
public static class ReportCommand
{
    public static async Task<int> RunAsync(string[] args, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var (options, error) = ReportOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("cachefarm: " + error).ConfigureAwait(false);
            return 2;
        }
        var endpoint = DaemonEndpoint.FromEnvironment(env);
        using var client = new CacheClient(endpoint, env("CACHEFARM_NAMESPACE") ?? "", credentials: ClientCredentials.FromEnvironment(env));
        var limit = Math.Max(options.Builds ?? 1, ReportOptions.TrendBuilds);
        var prefix = options.AllHosts ? "" : BuildIdentity.HostPrefix;
        Protos.V1.BuildReports reports;
        try
        {
            reports = await client.Admin.GetBuildReportsAsync(limit, prefix, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && endpoint.CanAutoStart)
        {
            // The local daemon stopped after its idle timeout; it reloads the saved reports when started.
            try
            {
                await DaemonAutoStart.EnsureRunningAsync(client, env, cancellationToken).ConfigureAwait(false);
                reports = await client.Admin.GetBuildReportsAsync(limit, prefix, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception again) when (again is RpcException or DaemonStartException)
            {
                return await FailAsync(endpoint, again.Message).ConfigureAwait(false);
            }
        }
        catch (RpcException e)
        {
            return await FailAsync(endpoint, $"{e.StatusCode}: {e.Status.Detail}").ConfigureAwait(false);
        }
        if (reports.Builds.Count == 0)
        {
            await Console.Error.WriteLineAsync("cachefarm: no builds recorded yet (build with RUSTC_WRAPPER=cachefarm first)").ConfigureAwait(false);
            return 1;
        }
        var summaries = reports.Builds.Select(BuildSummary.From).ToList();
        var last = summaries[^1];
        if (options.Builds is { } count)
        {
            var compared = summaries.TakeLast(count).ToList();
            Console.Write(options.Format == "json" ? JsonReport.Comparison(compared) + "\n" : TextReport.Comparison(compared));
            return 0;
        }
        var prefetch = await DaemonPrefetchAsync(client, cancellationToken).ConfigureAwait(false);
        var writeHtml = options.Format == "html" || options.HtmlPath is not null || (options.Format == "text" && !options.NoHtml);
        var htmlPath = writeHtml ? await WriteHtmlAsync(last, summaries, options.HtmlPath, cancellationToken).ConfigureAwait(false) : null;
        switch (options.Format)
        {
            case "json":
                Console.Write(JsonReport.Build(last, htmlPath, prefetch) + "\n");
                break;
            case "html":
                Console.WriteLine(htmlPath ?? "");
                break;
            default:
                Console.Write(TextReport.Build(last, prefetch));
                if (htmlPath is not null)
                {
                    Console.WriteLine("HTML report     " + htmlPath);
                }
                break;
        }
        return 0;
    }

    private static async Task<int> FailAsync(DaemonEndpoint endpoint, string why)
    {
        await Console.Error.WriteLineAsync($"cachefarm: cannot read build reports from cachefarmd at {endpoint} ({why})").ConfigureAwait(false);
        return 2;
    }

    // Next to the build's outputs (the target directory found from rustc's --out-dir), else the current directory.
    private static async Task<string?> WriteHtmlAsync(BuildSummary last, List<BuildSummary> recent, string? explicitPath, CancellationToken cancellationToken)
    {
        var path = explicitPath ?? Path.Combine(last.TargetDirectory is { } target && Directory.Exists(target) ? target : Environment.CurrentDirectory, HtmlReport.FileName);
        try
        {
            await File.WriteAllTextAsync(path, HtmlReport.Render(last, recent), cancellationToken).ConfigureAwait(false);
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"cachefarm: cannot write {path}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// The daemon's prefetch counters since it started, or null when it did no prefetching or cannot say: an
    /// ephemeral runner's daemon lives for one build, so for it they are that build's.
    /// </summary>
    private static async Task<Protos.V1.PrefetchStats?> DaemonPrefetchAsync(CacheClient client, CancellationToken cancellationToken)
    {
        try
        {
            var stats = await client.Admin.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            return stats.Prefetch is { Started: > 0 } prefetch ? prefetch : null;
        }
        catch (RpcException)
        {
            return null;
        }
    }
}
