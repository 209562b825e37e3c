using CacheFarm.Daemon.Configuration;

namespace CacheFarm.Daemon.Hosting;

/// <summary>Console logging: warnings and up (plus the access log when enabled), as text or JSON lines.</summary>
internal static class LoggingSetup
{
    public static void Configure(ILoggingBuilder logging, DaemonSettings settings)
    {
        logging.ClearProviders();
        if (settings.LogFormat == "json")
        {
            logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("CacheFarm.Access", settings.AccessLog ? LogLevel.Information : LogLevel.None);
    }
}
