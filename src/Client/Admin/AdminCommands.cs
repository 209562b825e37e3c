using CacheFarm.Client.Connection;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Client.Admin;

/// <summary>The sccache-compatible server commands and the <c>blob</c> subcommands.</summary>
public static class AdminCommands
{
    public static bool Handles(string firstArg) => firstArg is "--start-server" or "--stop-server" or "--show-stats" or "-s"
        or "--zero-stats" or "-z" or "--stats-format" or "blob" or "status" or "--help" or "-h" or "--version" or "-V";

    public const string Usage = """
        usage: cachefarm <rustc> <args…>          wrap a compiler call (RUSTC_WRAPPER=cachefarm)
               cachefarm --start-server           start cachefarmd in the background and wait until it is ready
               cachefarm --stop-server            stop it (prints the final stats)
               cachefarm -s|--show-stats [--stats-format text|json]
               cachefarm -z|--zero-stats
               cachefarm status                   the daemon, its tiers, hit and request rates over the last 5 minutes
               cachefarm report [--format text|json|html] [--builds N] [--html FILE|--no-html] [--all-hosts]
                                                  the last build: hit rate, time saved, link time by linker, slowest
                                                  crates, what rebuilt and why; HTML into target/cachefarm-report.html
               cachefarm linker [--detect] [--reset]  linkers found here, what auto measured, the choice and why
               cachefarm blob put FILE…           upload files, print each digest (hash/size)
               cachefarm blob get HASH/SIZE -o FILE
               cachefarm blob has HASH/SIZE…      exit 1 if any is missing
        environment: CACHEFARM_ENDPOINT (http://host:port or unix:/path; default: the local daemon's socket),
                     CACHEFARM_NAMESPACE, CACHEFARM_DATA_DIR, CACHEFARM_DAEMON (path to cachefarmd),
                     CACHEFARM_LINKER (auto|mold|lld|bfd|default|off), CACHEFARM_LINKER_CANDIDATES, CACHEFARM_BUILD_ID
        """;

    public static async Task<int> RunAsync(string[] args, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var endpoint = DaemonEndpoint.FromEnvironment(env);
        using var client = new CacheClient(endpoint, env("CACHEFARM_NAMESPACE") ?? "", credentials: ClientCredentials.FromEnvironment(env));
        var json = StatsFormat(args) == "json";
        try
        {
            return args[0] switch
            {
                "--help" or "-h" => Print(Usage),
                "--version" or "-V" => Print("cachefarm " + typeof(AdminCommands).Assembly.GetName().Version?.ToString(3)),
                "--start-server" => await StartServerAsync(client, env, cancellationToken).ConfigureAwait(false),
                "--stop-server" => await StopServerAsync(client, json, cancellationToken).ConfigureAwait(false),
                "--show-stats" or "-s" or "--stats-format" => await ShowStatsAsync(client, json, cancellationToken).ConfigureAwait(false),
                "--zero-stats" or "-z" => await ZeroStatsAsync(client, cancellationToken).ConfigureAwait(false),
                "blob" => await BlobCommands.RunAsync(client, args[1..], cancellationToken).ConfigureAwait(false),
                "status" => await StatusCommand.RunAsync(client, cancellationToken).ConfigureAwait(false),
                _ => Fail($"unknown command {args[0]}\n{Usage}"),
            };
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // The transport's own words for a missing socket file name an address no one asked for.
            return endpoint.SocketPath is { } socket && !File.Exists(socket)
                ? Fail($"cachefarmd is not running: nothing at {socket}; a build through cachefarm starts it, or cachefarm --start-server")
                : Fail($"cachefarmd is not reachable at {endpoint} ({e.Status.Detail}); start it with cachefarm --start-server");
        }
        catch (RpcException e)
        {
            return Fail($"cachefarmd refused the request: {e.StatusCode}: {e.Status.Detail}");
        }
    }

    private static async Task<int> StartServerAsync(CacheClient client, Func<string, string?> env, CancellationToken cancellationToken)
    {
        if (await DaemonLauncher.IsRunningAsync(client, cancellationToken).ConfigureAwait(false))
        {
            return Print($"cachefarmd is already running at {client.Endpoint}");
        }
        try
        {
            var idle = env("CACHEFARM_IDLE_TIMEOUT") is { } seconds && long.TryParse(seconds, out var s) ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;
            await DaemonLauncher.StartAsync(client, idle, TimeSpan.FromSeconds(30), env, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonStartException e)
        {
            return Fail(e.Message);
        }
        return Print($"cachefarmd started at {client.Endpoint}");
    }

    private static async Task<int> StopServerAsync(CacheClient client, bool json, CancellationToken cancellationToken)
    {
        var stats = await client.Admin.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        Console.Write(json ? StatsFormatter.Json(stats, client.Endpoint.ToString()) + "\n" : StatsFormatter.Text(stats, client.Endpoint.ToString()));
        // Return once the daemon has written its final checkpoint, so a restart finds the directory free.
        if (client.Endpoint.IsLocalSocket
            && !await DaemonLockProbe.WaitUntilFreeAsync(client.Endpoint.DataDirectory, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false))
        {
            return Fail("cachefarmd did not finish stopping within 60 s");
        }
        return 0;
    }

    private static async Task<int> ShowStatsAsync(CacheClient client, bool json, CancellationToken cancellationToken)
    {
        var stats = await client.Admin.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        Console.Write(json ? StatsFormatter.Json(stats, client.Endpoint.ToString()) + "\n" : StatsFormatter.Text(stats, client.Endpoint.ToString()));
        return 0;
    }

    private static async Task<int> ZeroStatsAsync(CacheClient client, CancellationToken cancellationToken)
    {
        await client.Admin.ZeroStatsAsync(cancellationToken).ConfigureAwait(false);
        return Print("Statistics zeroed.");
    }

    private static string StatsFormat(string[] args)
    {
        var i = Array.IndexOf(args, "--stats-format");
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : "text";
    }

    internal static int Print(string message)
    {
        Console.WriteLine(message);
        return 0;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine("cachefarm: " + message);
        return 2;
    }

    internal static bool TryParseDigest(string text, out ContentDigest digest)
    {
        digest = default;
        var slash = text.IndexOf('/');
        return slash > 0
            && long.TryParse(text[(slash + 1)..], out var size)
            && ContentDigest.TryParse(new Protos.V1.Digest { Hash = text[..slash], SizeBytes = size }, out digest, out _);
    }
}
