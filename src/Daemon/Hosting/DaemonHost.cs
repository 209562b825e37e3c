using CacheFarm.Daemon.Configuration;
using CacheFarm.Daemon.Security;
using CacheFarm.Daemon.Services;
using CacheFarm.Daemon.Services.BulkReads;
using CacheFarm.Daemon.Services.FastPath;
using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Builds;
using CacheFarm.Daemon.Storage.Local;
using CacheFarm.Daemon.Storage.Prefetch;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Daemon.Storage.Tiered;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.Wire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CacheFarm.Daemon.Hosting;

/// <summary>Builds and runs the daemon: storage, gRPC services, listeners, readiness line and graceful stop.</summary>
internal static class DaemonHost
{
    public const string ReadyLine = "cachefarmd ready";

    public static async Task<int> RunAsync(DaemonSettings settings)
    {
        using var directoryLock = DataDirectoryLock.Acquire(settings.DataDirectory);
        if (settings.Socket is { } socket)
        {
            ListenerSetup.PrepareSocket(socket);
            // No live daemon serves the main socket, so a fast-path socket beside it is stale.
            File.Delete(FastPathProtocol.SocketFor(socket));
        }
        // Stopping unlinks the sockets: .NET removes the file a Unix socket was bound to when it is disposed.
        return await ServeAsync(settings, directoryLock).ConfigureAwait(false);
    }

    private static async Task<int> ServeAsync(DaemonSettings settings, DataDirectoryLock directoryLock)
    {
        var tokens = settings.TokensFile is { } tokensFile ? TokenTable.Load(tokensFile) : null;
        ExposurePolicy.Check(settings, tokens);
        // The daemon reads no appsettings files. With the defaults it would watch its working directory, and
        // every subdirectory, for changes to them: a daemon started from a workspace then woke up for every
        // file the build wrote (0.4 s of CPU over a cold rust-ws build).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        LoggingSetup.Configure(builder.Logging, settings);
        // The fast path carries no credentials, so it only exists where the socket's mode is the guard.
        var fastPath = settings.Socket is not null && tokens is null;
        builder.WebHost.ConfigureKestrel(k => ListenerSetup.Configure(k, settings, fastPath));
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = CacheFarmChannel.MaxMessageBytes;
            o.MaxSendMessageSize = CacheFarmChannel.MaxMessageBytes;
            o.EnableDetailedErrors = true;
            o.Interceptors.Add<RpcMetricsInterceptor>();
            o.Interceptors.Add<AuthInterceptor>();
            // Innermost, so the metrics and access log above see the status a refusal becomes.
            o.Interceptors.Add<RefusalInterceptor>();
        });
        builder.Services.AddSingleton(new AuthInterceptor(tokens));
        builder.Services.AddSingleton(new StreamLimits(settings.StreamIdleTimeout));
        builder.Services.AddCacheFarmTelemetry(settings);
        builder.Services.AddSingleton(sp => new DaemonPathsWatch(
            directoryLock,
            settings.Socket is { } watchedSocket ? [watchedSocket] : [],
            sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<DaemonPathsWatch>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DaemonPathsWatch>());
        builder.Services.AddSingleton(sp =>
        {
            // Resolved now: the tier's final checkpoint asks after the service provider is gone.
            var paths = sp.GetRequiredService<DaemonPathsWatch>();
            return new LocalTierOptions
            {
                Directory = settings.LocalTierDirectory,
                Capacity = settings.Capacity,
                MemoryBytes = settings.LogMemory,
                CheckpointInterval = settings.CheckpointInterval,
                MaxConcurrentWrites = settings.MaxConcurrentWrites,
                DirectoryLost = () => paths.DirectoryLost,
            };
        });
        builder.Services.AddSingleton<FasterLocalTier>();
        builder.Services.AddCacheStore(settings);
        builder.Services.AddSingleton<RequestCounters>();
        builder.Services.AddSingleton<CompileCounters>();
        builder.Services.AddSingleton<PendingEntryWrites>();
        builder.Services.AddSingleton<PrefetchCounters>();
        builder.Services.AddSingleton<PrefetchedEntries>();
        builder.Services.AddSingleton(sp => new WorkingSets(
            sp.GetRequiredService<ICacheStore>(), new WorkingSetOptions(), sp.GetRequiredService<PrefetchCounters>(), sp.GetRequiredService<PrefetchedEntries>(),
            sp.GetRequiredService<ILogger<WorkingSets>>(), TimeProvider.System));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WorkingSets>());
        builder.Services.AddSingleton<EntryReads>();
        builder.Services.AddSingleton<BlobStreamReads>();
        builder.Services.AddSingleton<BatchBlobReads>();
        builder.Services.AddSingleton<MissingBlobs>();
        builder.Services.AddSingleton<BlobUploads>();
        builder.Services.AddSingleton<ManifestWrites>();
        builder.Services.AddSingleton<EntryWrites>();
        builder.Services.AddSingleton<StatsSnapshot>();
        builder.Services.AddSingleton<FrameCallAccounting>();
        if (fastPath)
        {
            builder.Services.AddSingleton<LocalFileBlobs>();
            builder.Services.AddSingleton<DeferredCompileStores>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DeferredCompileStores>());
            builder.Services.AddSingleton<FastPathCalls>();
            builder.Services.AddSingleton<FastPathDispatcher>();
        }
        if (settings.BulkListen is not null)
        {
            builder.Services.AddSingleton<BulkReadCalls>();
            // Kestrel takes a registered handler; built here, it gets the token table, which DI cannot hold while it may be null.
            builder.Services.AddSingleton(sp => new BulkReadConnectionHandler(
                sp.GetRequiredService<BulkReadCalls>(), tokens, sp.GetRequiredService<ILogger<BulkReadConnectionHandler>>()));
        }
        builder.Services.AddSingleton(new BuildReportStore(new BuildReportFiles(Path.Combine(settings.DataDirectory, "builds"))));
        builder.Services.AddHostedService<BuildReportFlusher>();
        builder.Services.AddHostedService(sp => new SpooledCompileRecords(settings.DataDirectory, sp.GetRequiredService<CompileCounters>(), sp.GetRequiredService<ILogger<SpooledCompileRecords>>()));
        builder.Services.AddSingleton<RecentActivityWindow>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RecentActivityWindow>());
        builder.Services.AddSingleton<BlobWriteLocks>();
        builder.Services.AddSingleton(sp => new IdleShutdown(settings.IdleTimeout, sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IdleShutdown>());

        await using var app = builder.Build();
        var idle = app.Services.GetRequiredService<IdleShutdown>();
        app.Use(async (context, next) =>
        {
            idle.Enter();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                idle.Leave();
            }
        });
        app.MapGrpcService<BlobStoreService>();
        app.MapGrpcService<EntryStoreService>();
        app.MapGrpcService<AdminService>();
        app.MapCacheFarmTelemetry(settings);

        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"cachefarmd: cannot listen: {e.Message}");
            return 1;
        }
        if (settings.Socket is { } boundSocket)
        {
            ListenerSetup.RestrictSocket(boundSocket);
            if (fastPath)
            {
                ListenerSetup.RestrictSocket(FastPathProtocol.SocketFor(boundSocket));
            }
        }
        // Listen first, then recover: probes see a live, not-yet-ready daemon instead of a dead port,
        // and calls made meanwhile get UNAVAILABLE (the client then compiles without the cache).
        var readiness = app.Services.GetRequiredService<ReadinessGate>();
        app.Lifetime.ApplicationStopping.Register(readiness.MarkStopping);
        await Task.Run(() => app.Services.GetRequiredService<ICacheStore>()).ConfigureAwait(false);
        app.Services.GetRequiredService<CacheMetrics>();
        readiness.MarkReady();
        Console.WriteLine($"{ReadyLine} pid={Environment.ProcessId} socket={settings.Socket ?? "none"} tcp={settings.Listen ?? "none"} data={settings.DataDirectory} bulk={settings.BulkListen ?? "none"}");
        StartupLock.Release();
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }
}
