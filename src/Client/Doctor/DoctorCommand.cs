using CacheFarm.Client.Cargo;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Reports;
using CacheFarm.Client.Reports.Recording;
using Grpc.Core;

namespace CacheFarm.Client.Doctor;

/// <summary>
/// <c>cachefarm doctor</c>: findings, each with its fix, from the workspace, the last build the daemon recorded from
/// this host and the daemon's own state. Exit 1 when a finding is a problem, so CI can flag it.
/// </summary>
public static class DoctorCommand
{
    public const string Usage = "usage: cachefarm doctor [--json]";

    public static async Task<int> RunAsync(string[] args, Func<string, string?> env, CancellationToken cancellationToken)
    {
        if (args.Any(a => a != "--json"))
        {
            await Console.Error.WriteLineAsync("cachefarm doctor: " + Usage).ConfigureAwait(false);
            return 2;
        }
        var context = await GatherAsync(env, cancellationToken).ConfigureAwait(false);
        var findings = new List<DoctorFinding>();
        findings.AddRange(CacheHealthCheck.Run(context));
        findings.AddRange(CacheabilityCheck.Run(context));
        findings.AddRange(await DuplicateCrateCheck.RunAsync(context, cancellationToken).ConfigureAwait(false));
        findings.AddRange(await LinkerCheck.RunAsync(context, cancellationToken).ConfigureAwait(false));
        findings.AddRange(ProfileCheck.Run(context));
        Console.Write(args.Contains("--json") ? DoctorReport.Json(findings) + "\n" : DoctorReport.Text(findings, context));
        return findings.Any(f => f.Severity == DoctorSeverity.Problem) ? 1 : 0;
    }

    private static async Task<DoctorContext> GatherAsync(Func<string, string?> env, CancellationToken cancellationToken)
    {
        var cargo = env("CARGO") is { Length: > 0 } set ? set : "cargo";
        string? root = null;
        try
        {
            root = (await CargoWorkspace.ReadAsync(cargo, Environment.CurrentDirectory, cancellationToken).ConfigureAwait(false)).Root;
        }
        catch (Exception e) when (e is CargoMetadataException or System.ComponentModel.Win32Exception)
        {
            // Outside a workspace only the cache and linker checks apply.
        }
        var endpoint = DaemonEndpoint.FromEnvironment(env);
        using var client = new CacheClient(endpoint, env("CACHEFARM_NAMESPACE") ?? "", credentials: ClientCredentials.FromEnvironment(env));
        Protos.V1.Stats? stats = null;
        BuildSummary? last = null;
        string? problem = null;
        try
        {
            if (endpoint.CanAutoStart)
            {
                await DaemonAutoStart.EnsureRunningAsync(client, env, cancellationToken).ConfigureAwait(false);
            }
            stats = await client.Admin.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            var reports = await client.Admin.GetBuildReportsAsync(1, BuildIdentity.HostPrefix, cancellationToken).ConfigureAwait(false);
            last = reports.Builds.Count > 0 ? BuildSummary.From(reports.Builds[^1]) : null;
        }
        catch (Exception e) when (e is RpcException or DaemonStartException)
        {
            problem = e.Message;
        }
        return new DoctorContext
        {
            WorkspaceRoot = root,
            Cargo = cargo,
            Env = env,
            DataDirectory = DaemonEndpoint.DefaultDataDirectory(env),
            LastBuild = last,
            Stats = stats,
            DaemonProblem = problem,
            Endpoint = endpoint.ToString(),
        };
    }
}
