using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// What a rustc toolchain contributes to cache keys: its <c>rustc -vV</c> text and a digest of the sysroot's
/// shared libraries and linker binaries. Computed once per toolchain and remembered by the rustc binary's
/// stamp: a call on a toolchain binary costs one stat and one small read, one behind a rustup proxy also
/// starts <c>rustc --print sysroot</c> to learn which toolchain the proxy selects.
/// </summary>
public sealed record ToolchainIdentity(string RustcPath, string VersionLine, string Host, string Sysroot, string DigestHex)
{
    /// <summary>Resolves the identity of <paramref name="rustc"/>; a rustup proxy is first resolved to the toolchain it selects.</summary>
    public static async Task<ToolchainIdentity> ResolveAsync(string rustc, string memoDirectory, CancellationToken cancellationToken)
    {
        if (IsRustupProxy(rustc))
        {
            var sysroot = (await CapturedProcess.RunAsync(rustc, ["--print", "sysroot"], null, cancellationToken).ConfigureAwait(false)).Stdout.Trim();
            var real = Path.Combine(sysroot, "bin", "rustc");
            if (File.Exists(real))
            {
                rustc = real;
            }
        }
        if (!FileStamp.TryRead(rustc, out var stamp))
        {
            throw new FileNotFoundException($"rustc not found at {rustc}", rustc);
        }
        var memoPath = MemoFile.PathFor(Path.Combine(memoDirectory, "toolchains"), rustc);
        if (MemoFile.TryRead(memoPath) is { } text && TryParseMemo(text, rustc, stamp) is { } remembered)
        {
            return remembered;
        }
        var identity = await ComputeAsync(rustc, cancellationToken).ConfigureAwait(false);
        MemoFile.TryWrite(memoPath, string.Join('\n',
            stamp.VersionText, identity.DigestHex, identity.VersionLine, identity.Host, identity.Sysroot) + "\n");
        return identity;
    }

    private static async Task<ToolchainIdentity> ComputeAsync(string rustc, CancellationToken cancellationToken)
    {
        var verbose = await CapturedProcess.RunAsync(rustc, ["-vV"], null, cancellationToken).ConfigureAwait(false);
        var sysrootProbe = await CapturedProcess.RunAsync(rustc, ["--print", "sysroot"], null, cancellationToken).ConfigureAwait(false);
        if (verbose.ExitCode != 0 || sysrootProbe.ExitCode != 0)
        {
            throw new ToolchainProbeException($"{rustc} -vV failed: {verbose.Stderr.Trim()}");
        }
        var lines = verbose.Stdout.Split('\n', StringSplitOptions.TrimEntries);
        var host = lines.FirstOrDefault(l => l.StartsWith("host: ", StringComparison.Ordinal))?["host: ".Length..] ?? "";
        var sysroot = sysrootProbe.Stdout.Trim();
        using var hash = new Sha256Accumulator();
        hash.Append(Encoding.UTF8.GetBytes(verbose.Stdout));
        foreach (var file in ToolchainFiles(sysroot, host))
        {
            var digest = FileContentHash.Compute(file);
            hash.Append(Encoding.UTF8.GetBytes($"\n{Path.GetRelativePath(sysroot, file)} {digest}"));
        }
        return new ToolchainIdentity(rustc, lines[0], host, sysroot, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    // The shared libraries rustc loads (sccache hashes the same) plus rust-lld and friends, which link by default.
    private static IEnumerable<string> ToolchainFiles(string sysroot, string host)
    {
        var lib = Path.Combine(sysroot, "lib");
        var libs = Directory.Exists(lib)
            ? Directory.EnumerateFiles(lib).Where(f => Path.GetFileName(f).Contains(".so", StringComparison.Ordinal))
            : [];
        var bin = Path.Combine(sysroot, "lib", "rustlib", host, "bin");
        var tools = Directory.Exists(bin) ? Directory.EnumerateFiles(bin, "*", SearchOption.AllDirectories) : [];
        return libs.Concat(tools).Order(StringComparer.Ordinal);
    }

    // rustup installs its proxies as hard links to (or symlinks of) the rustup binary itself.
    private static bool IsRustupProxy(string rustc)
    {
        var rustup = Path.Combine(Path.GetDirectoryName(rustc) ?? "", "rustup");
        if (!FileStamp.TryRead(rustup, out var rustupStamp) || !FileStamp.TryRead(rustc, out var rustcStamp))
        {
            return false;
        }
        return rustupStamp.Inode == rustcStamp.Inode && rustupStamp.Device == rustcStamp.Device;
    }


    private static ToolchainIdentity? TryParseMemo(string text, string rustc, FileStamp stamp)
    {
        var lines = text.Split('\n');
        return lines.Length >= 5 && lines[0] == stamp.VersionText && lines[1].Length == 64
            ? new ToolchainIdentity(rustc, lines[2], lines[3], lines[4], lines[1])
            : null;
    }
}
