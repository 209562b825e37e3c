using CacheFarm.Daemon.Configuration;
using CacheFarm.Daemon.Hosting;
using CacheFarm.Daemon.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CacheFarm.Daemon.Telemetry;

/// <summary>Wires metrics, traces, health checks and the /metrics, /healthz and /readyz endpoints.</summary>
internal static class TelemetrySetup
{
    public static void AddCacheFarmTelemetry(this IServiceCollection services, DaemonSettings settings)
    {
        services.AddSingleton<ReadinessGate>();
        services.AddSingleton<CacheMetrics>();
        services.AddSingleton(sp => new AccessLog(sp.GetRequiredService<ILoggerFactory>(), settings.AccessLog));
        services.AddSingleton<RpcMetricsInterceptor>();
        // OTLP export follows the standard OTEL_* variables; without an endpoint nothing is exported.
        var otlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cachefarmd", serviceVersion: CacheFarmTelemetry.Version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CacheFarmTelemetry.Name);
                // Connections and TLS handshakes per client: a fleet whose runners do not reuse connections shows here.
                metrics.AddMeter("Microsoft.AspNetCore.Server.Kestrel");
                if (settings.MetricsListen is not null)
                {
                    metrics.AddPrometheusExporter();
                }
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(CacheFarmTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        }
        services.AddGrpcHealthChecks()
            .AddCheck<LocalTierHealthCheck>("local-tier", tags: ["ready"])
            .AddCheck<TierHealthCheck>("tiers", tags: ["ready"]);
    }

    public static void MapCacheFarmTelemetry(this WebApplication app, DaemonSettings settings)
    {
        app.MapGrpcHealthChecksService();
        if (settings.MetricsListen is not { } listen)
        {
            return;
        }
        var host = $"*:{ListenerSetup.ParseEndpoint(listen).Port}";
        app.MapPrometheusScrapingEndpoint("/metrics").RequireHost(host);
        // Liveness: the process answers. Readiness: the local tier is open and the daemon not stopping;
        // a failing remote tier makes the daemon degraded (still 200), not unready.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).RequireHost(host);
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteStatusAsync,
        }).RequireHost(host);
    }

    private static Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain";
        var lines = report.Entries.Select(e => $"{e.Key}: {e.Value.Status}{(e.Value.Description is { } d ? " (" + d + ")" : "")}");
        return context.Response.WriteAsync($"{report.Status}\n{string.Join('\n', lines)}\n");
    }
}

/// <summary>Healthy once the local tier has recovered; unhealthy while recovering or stopping.</summary>
internal sealed class LocalTierHealthCheck(ReadinessGate readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(readiness.State));
}

/// <summary>Degraded while any tier is not healthy (e.g. a remote tier's circuit is open).</summary>
internal sealed class TierHealthCheck(ReadinessGate readiness, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady)
        {
            return Task.FromResult(HealthCheckResult.Healthy("not open yet"));
        }
        var unhealthy = services.GetRequiredService<ICacheStore>().GetTierStats().Where(t => t.Health != "healthy").Select(t => $"{t.Name} {t.Health}").ToList();
        return Task.FromResult(unhealthy.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded(string.Join(", ", unhealthy)));
    }
}
