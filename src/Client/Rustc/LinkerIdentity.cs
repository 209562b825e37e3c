using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// The linker a linking crate goes through (<c>-C linker</c>, else <c>cc</c>) as a digest of the driver's binary
/// and <c>--version</c> text, plus the linker program the driver runs: the one <c>-fuse-ld=</c> or
/// <c>--ld-path=</c> in the link arguments picks (cachefarm's own linker choice among them), else its <c>ld</c>.
/// The driver's part is remembered by the driver's stamp; the linker program's digest is re-checked on every call
/// (mold and lld write their version into the output, so a new one must not hit an old entry).
/// </summary>
public static class LinkerIdentity
{
    public static async Task<string> ResolveAsync(string linker, RustcArgs args, string? pathVariable, string workingDirectory, string memoDirectory, FileDigestMemo digests, CancellationToken cancellationToken)
    {
        var resolved = ExecutableLookup.Find(linker, pathVariable, workingDirectory);
        if (resolved is null || !FileStamp.TryRead(resolved, out var stamp))
        {
            return "missing:" + linker;
        }
        var program = RequestedProgram(args);
        var memoPath = MemoFile.PathFor(Path.Combine(memoDirectory, "linkers"), resolved + "\n" + program);
        var stampLine = stamp.VersionText;
        string driver, programPath;
        if (MemoFile.TryRead(memoPath)?.Split('\n') is [var remembered, var rememberedDriver, var rememberedProgram, ..] && remembered == stampLine)
        {
            (driver, programPath) = (rememberedDriver, rememberedProgram);
        }
        else
        {
            (driver, programPath) = await ProbeAsync(resolved, program, pathVariable, workingDirectory, cancellationToken).ConfigureAwait(false);
            MemoFile.TryWrite(memoPath, stampLine + "\n" + driver + "\n" + programPath + "\n");
        }
        var programDigest = programPath.Length > 0 && digests.TryGet(programPath, out var digest) ? digest.ToString() : "missing";
        return Convert.ToHexStringLower(Sha256Accumulator.HashData(Encoding.UTF8.GetBytes($"{driver}\n{program} {programDigest}")));
    }

    /// <summary>What the link arguments ask the driver to run: <c>ld.NAME</c> for -fuse-ld=NAME, a path for --ld-path=, else <c>ld</c>; the last one wins.</summary>
    public static string RequestedProgram(RustcArgs args)
    {
        var program = "ld";
        foreach (var (name, value) in args.Codegen)
        {
            if (name is not ("link-arg" or "link-args") || value is null)
            {
                continue;
            }
            foreach (var word in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.StartsWith("-fuse-ld=", StringComparison.Ordinal))
                {
                    var chosen = word["-fuse-ld=".Length..];
                    program = chosen.Contains('/') ? chosen : "ld." + chosen;
                }
                else if (word.StartsWith("--ld-path=", StringComparison.Ordinal))
                {
                    program = word["--ld-path=".Length..];
                }
            }
        }
        return program;
    }

    private static async Task<(string Driver, string ProgramPath)> ProbeAsync(string resolved, string program, string? pathVariable, string workingDirectory, CancellationToken cancellationToken)
    {
        using var hash = new Sha256Accumulator();
        hash.Append(Encoding.UTF8.GetBytes(resolved + " " + FileContentHash.Compute(resolved)));
        var version = await CapturedProcess.RunAsync(resolved, ["--version"], workingDirectory, cancellationToken).ConfigureAwait(false);
        hash.Append(Encoding.UTF8.GetBytes("\n" + version.Stdout));
        var driver = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (program.Contains('/'))
        {
            return (driver, CheckoutRoots.Absolute(program, workingDirectory));
        }
        // The driver looks in its own directories first, then on PATH; it prints the bare name when it has none.
        var named = await CapturedProcess.RunAsync(resolved, ["-print-prog-name=" + program], workingDirectory, cancellationToken).ConfigureAwait(false);
        var path = named.ExitCode == 0 ? ExecutableLookup.Find(named.Stdout.Trim(), pathVariable, workingDirectory) : null;
        return (driver, path ?? "");
    }
}
