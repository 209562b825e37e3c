using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// The slow path of a lookup (what sccache does on every call): run rustc for dep-info only to learn the
/// files and variables the crate reads now. Used only when a manifest exists but none of its candidates match.
/// </summary>
public static class DepInfoPass
{
    private static readonly string[] Dropped = ["--emit", "--out-dir", "-o"];

    public static async Task<DepInfoFile?> RunAsync(RustcCall call, string scratchDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(scratchDirectory);
        var depInfo = Path.Combine(scratchDirectory, $"pass-{Environment.ProcessId}-{Random.Shared.Next():x}.d");
        try
        {
            var args = new List<string>();
            foreach (var option in call.Args.Options)
            {
                if (Array.IndexOf(Dropped, option.Name) >= 0 || (option.Name == "-C" && option.Value?.StartsWith("incremental", StringComparison.Ordinal) == true))
                {
                    continue;
                }
                if (option.Name != "<input>")
                {
                    args.Add(option.Name);
                }
                if (option.Value is not null)
                {
                    args.Add(option.Value);
                }
            }
            args.Add("--emit=dep-info=" + depInfo);
            var pass = await CapturedProcess.RunAsync(call.RustcPath, args, call.WorkingDirectory, cancellationToken).ConfigureAwait(false);
            return pass.ExitCode == 0 && File.Exists(depInfo) ? DepInfoFile.Parse(await File.ReadAllTextAsync(depInfo, cancellationToken).ConfigureAwait(false)) : null;
        }
        finally
        {
            File.Delete(depInfo);
        }
    }
}
