using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// What a C or C++ compiler driver contributes to the first-level key: its binary's digest and its
/// <c>--version</c> line, remembered by the binary's stamp so a call costs a stat and a small read. The programs
/// the driver runs (cc1, cc1plus, as) and the files they read are keyed by the traced compile.
/// </summary>
public sealed record CompilerIdentity(string DigestHex, string VersionLine)
{
    /// <summary>
    /// Whether the compiler takes <c>__DATE__</c> and <c>__TIME__</c> from SOURCE_DATE_EPOCH: gcc from 7, clang from
    /// 16. Older ones, and drivers whose version line says neither, read the clock whatever the variable says.
    /// </summary>
    public bool HonorsSourceDateEpoch
    {
        get
        {
            var clang = VersionLine.IndexOf("clang version ", StringComparison.Ordinal);
            var version = clang >= 0 ? VersionLine[(clang + "clang version ".Length)..].Split(' ')[0] : VersionLine.Split(' ')[^1];
            var gcc = clang < 0 && (VersionLine.StartsWith("gcc ", StringComparison.Ordinal) || VersionLine.StartsWith("g++ ", StringComparison.Ordinal)
                || VersionLine.StartsWith("cc ", StringComparison.Ordinal) || VersionLine.StartsWith("c++ ", StringComparison.Ordinal));
            return (clang >= 0 || gcc) && int.TryParse(version.Split('.')[0], out var major) && major >= (clang >= 0 ? 16 : 7);
        }
    }

    /// <exception cref="IOException">The compiler is missing or its <c>--version</c> failed.</exception>
    public static async Task<CompilerIdentity> ResolveAsync(string compiler, string memoDirectory, CancellationToken cancellationToken)
    {
        var binary = File.ResolveLinkTarget(compiler, returnFinalTarget: true)?.FullName ?? compiler;
        if (!FileStamp.TryRead(binary, out var stamp) || !stamp.IsRegularFile)
        {
            throw new FileNotFoundException($"compiler not found at {compiler}", compiler);
        }
        var memoPath = MemoFile.PathFor(Path.Combine(memoDirectory, "compilers"), binary + "\n" + Path.GetFileName(compiler));
        if (MemoFile.TryRead(memoPath)?.Split('\n') is [var version, var digestText, var line, ..] && version == stamp.VersionText)
        {
            return new CompilerIdentity(digestText, line);
        }
        var digest = FileContentHash.Compute(binary);
        // Run as called: clang and clang++ are one binary that behaves by its name.
        var probe = await CapturedProcess.RunAsync(compiler, ["--version"], null, cancellationToken).ConfigureAwait(false);
        if (probe.ExitCode != 0)
        {
            throw new IOException($"{compiler} --version failed: {probe.Stderr.Trim()}");
        }
        var identity = new CompilerIdentity(digest.ToString(), probe.Stdout.Split('\n')[0].Trim());
        if (FileStamp.TryRead(binary, out var after) && after.SameVersion(stamp) && stamp.IsSettled(FileStamp.NowNs()))
        {
            MemoFile.TryWrite(memoPath, $"{stamp.VersionText}\n{identity.DigestHex}\n{identity.VersionLine}\n");
        }
        return identity;
    }
}
