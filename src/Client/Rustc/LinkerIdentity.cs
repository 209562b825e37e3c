using System.Globalization;
using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// The linker a linking crate goes through (<c>-C linker</c>, else <c>cc</c>) as a digest of its binary, its
/// <c>--version</c> text and the <c>ld</c> it drives; remembered by the binary's stamp like the toolchain.
/// </summary>
public static class LinkerIdentity
{
    public static async Task<string> ResolveAsync(string linker, string? pathVariable, string workingDirectory, string memoDirectory, CancellationToken cancellationToken)
    {
        var resolved = ExecutableLookup.Find(linker, pathVariable, workingDirectory);
        if (resolved is null || !FileStamp.TryRead(resolved, out var stamp))
        {
            return "missing:" + linker;
        }
        var memoPath = Path.Combine(memoDirectory, "linkers", Convert.ToHexStringLower(Sha256Accumulator.HashData(Encoding.UTF8.GetBytes(resolved)).AsSpan(0, 16)));
        var stampLine = string.Create(CultureInfo.InvariantCulture, $"{stamp.Size} {stamp.MtimeNs} {stamp.CtimeNs} {stamp.Inode} {stamp.Device}");
        if (MemoFile.TryRead(memoPath)?.Split('\n') is [var remembered, var digest, ..] && remembered == stampLine)
        {
            return digest;
        }
        using var hash = new Sha256Accumulator();
        hash.Append(Encoding.UTF8.GetBytes(resolved + " " + FileContentHash.Compute(resolved)));
        var version = await CapturedProcess.RunAsync(resolved, ["--version"], workingDirectory, cancellationToken).ConfigureAwait(false);
        hash.Append(Encoding.UTF8.GetBytes("\n" + version.Stdout));
        var ld = await CapturedProcess.RunAsync(resolved, ["-print-prog-name=ld"], workingDirectory, cancellationToken).ConfigureAwait(false);
        if (ld.ExitCode == 0 && ExecutableLookup.Find(ld.Stdout.Trim(), pathVariable, workingDirectory) is { } ldPath)
        {
            hash.Append(Encoding.UTF8.GetBytes("\nld " + FileContentHash.Compute(ldPath)));
        }
        var result = Convert.ToHexStringLower(hash.GetHashAndReset());
        MemoFile.TryWrite(memoPath, stampLine + "\n" + result + "\n");
        return result;
    }
}
