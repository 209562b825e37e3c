using System.Globalization;
using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Measurement;
using CacheFarm.LoadGen.Targets;

namespace CacheFarm.LoadGen.Running;

/// <summary>Finds the pid of the server behind a target, whose /proc entries give its CPU time and RSS.</summary>
internal static class ServerProcessLocator
{
    /// <summary>The pid, or null (with a warning) when it is not known or the process is not visible.</summary>
    public static async Task<int?> FindAsync(ICacheTarget target, LoadGenOptions options, CancellationToken cancellationToken)
    {
        var pid = target.Spec.Kind != TargetKind.Redis
            ? options.DaemonPid ?? await ReadPidFileAsync(options.DaemonPidFile, cancellationToken)
            : options.RedisPid ?? await target.QueryServerPidAsync(cancellationToken);
        if (pid is null)
        {
            Console.Error.WriteLine(
                $"note: {target.Spec.Name}: server pid unknown, so no server RSS or CPU figures (see --daemon-pid / --redis-pid)");
            return null;
        }
        if (!ProcessProbe.Exists(pid.Value))
        {
            Console.Error.WriteLine($"warning: {target.Spec.Name}: no process {pid} on this machine; server figures skipped");
            return null;
        }
        return pid;
    }

    private static async Task<int?> ReadPidFileAsync(string? path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return null;
        }
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : throw new UsageException($"--daemon-pidfile {path} does not hold a pid");
    }
}
