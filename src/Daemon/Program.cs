using CacheFarm.Daemon.Configuration;
using CacheFarm.Daemon.Hosting;

try
{
    if (args is ["--help"] or ["-h"])
    {
        Console.WriteLine(DaemonSettingsLoader.Usage);
        return 0;
    }
    var settings = DaemonSettingsLoader.Load(args, Environment.GetEnvironmentVariable);
    return await DaemonHost.RunAsync(settings).ConfigureAwait(false);
}
catch (SettingsException e)
{
    Console.Error.WriteLine($"cachefarmd: {e.Message}");
    return 2;
}
