using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace CacheFarm.Daemon.Telemetry;

/// <summary>The daemon's OpenTelemetry meter and activity source, both named <c>CacheFarm</c>.</summary>
public static class CacheFarmTelemetry
{
    public const string Name = "CacheFarm";

    public static string Version { get; } =
        typeof(CacheFarmTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static Meter Meter { get; } = new(Name, Version);

    /// <summary>Spans per request (from ASP.NET Core) get child spans per tier from here.</summary>
    public static ActivitySource Activities { get; } = new(Name, Version);
}
