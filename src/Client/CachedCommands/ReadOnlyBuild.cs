using System.IO.Hashing;
using System.Text;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Reports.Recording;
using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// After the daemon refused a write because the token lacks write scope, the rest of the build only reads:
/// a marker under the data directory names the build (the cargo invocation), so every later wrapper call of
/// that build skips storing instead of being refused again.
/// </summary>
public sealed class ReadOnlyBuild(string marker, Func<string, string?> env)
{
    public static ReadOnlyBuild For(string memoDirectory, DaemonEndpoint endpoint, ClientCredentials credentials, Func<string, string?> env)
    {
        var identity = Encoding.UTF8.GetBytes(endpoint + "\n" + (credentials.Token ?? ""));
        var name = Convert.ToHexStringLower(XxHash128.Hash(identity));
        return new ReadOnlyBuild(Path.Combine(memoDirectory, "read-only", name), env);
    }

    /// <summary>True when an earlier call of this same build was refused a write.</summary>
    public bool IsActive
    {
        get
        {
            if (!File.Exists(marker))
            {
                return false;
            }
            var build = BuildIdentity.Current(env).Id;
            try
            {
                return build.Length > 0 && File.ReadAllText(marker) == build;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>Marks this build read-only; without a build id (no cargo parent) each call simply asks again.</summary>
    public void Activate()
    {
        var build = BuildIdentity.Current(env).Id;
        if (build.Length == 0)
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        var temp = $"{marker}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, build);
        File.Move(temp, marker, overwrite: true);
    }
}
