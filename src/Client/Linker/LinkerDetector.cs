using System.Globalization;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Linker;

/// <summary>
/// Finds the linkers on this host (mold, ld.lld, gold, GNU ld) with their versions, the C driver with its version
/// and which <c>-fuse-ld=</c> values it accepts (by running it), and per toolchain rustc's self-contained lld.
/// </summary>
public static class LinkerDetector
{
    private static readonly (string Name, string[] Binaries)[] Known =
    [
        (LinkerCandidate.Mold, ["mold"]),
        (LinkerCandidate.Lld, ["ld.lld"]),
        ("gold", ["ld.gold", "gold"]),
        (LinkerCandidate.Bfd, ["ld.bfd", "ld"]),
    ];

    /// <summary>rustc 1.90 made its self-contained lld the default linker on x86_64 Linux.</summary>
    private static readonly Version SelfContainedLldSince = new(1, 90);

    public static async Task<LinkerInventory> DetectAsync(string pathVariable, string workingDirectory, CancellationToken cancellationToken)
    {
        var cc = ExecutableLookup.Find("cc", pathVariable, workingDirectory);
        var driver = cc is null ? null : await DescribeDriverAsync(cc, pathVariable, cancellationToken).ConfigureAwait(false);
        var linkers = await Task.WhenAll(Known.Select(k => DetectAsync(k.Name, k.Binaries, cc, pathVariable, workingDirectory, cancellationToken))).ConfigureAwait(false);
        // Stamped after the probes, which may leave files behind (a linker's log) that must not read as a change.
        var directories = pathVariable.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.GetFullPath(d, workingDirectory))
            .Distinct(StringComparer.Ordinal)
            .Select(StampedFile.Read)
            .OfType<StampedFile>()
            .ToList();
        return new LinkerInventory
        {
            PathVariable = pathVariable,
            PathDirectories = directories,
            Driver = driver,
            Linkers = [.. linkers.OfType<DetectedLinker>()],
            DetectedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
    }

    /// <summary>The linker a toolchain uses by default, from its sysroot, host and version (no compile needed).</summary>
    public static async Task<ToolchainLinker> DescribeToolchainAsync(ToolchainIdentity toolchain, string pathVariable, CancellationToken cancellationToken)
    {
        var bin = Path.Combine(toolchain.Sysroot, "lib", "rustlib", toolchain.Host, "bin");
        var gccLd = Path.Combine(bin, "gcc-ld");
        var rustLld = StampedFile.Read(Path.Combine(bin, "rust-lld"));
        var version = "";
        if (rustLld is not null)
        {
            var (exit, output) = await ProbeProcess.RunAsync(rustLld.Path, ["-flavor", "gnu", "--version"], pathVariable, cancellationToken).ConfigureAwait(false);
            version = exit == 0 ? FirstLine(output) : "";
        }
        var selfContained = toolchain.Host == "x86_64-unknown-linux-gnu"
            && File.Exists(Path.Combine(gccLd, "ld.lld"))
            && ReleaseOf(toolchain.VersionLine) >= SelfContainedLldSince;
        return new ToolchainLinker
        {
            Sysroot = toolchain.Sysroot,
            GccLdDirectory = Directory.Exists(gccLd) ? gccLd : "",
            RustLld = rustLld,
            RustLldVersion = version,
            DefaultIsSelfContainedLld = selfContained,
        };
    }

    private static async Task<DetectedLinker?> DetectAsync(string name, string[] binaries, string? cc, string pathVariable, string workingDirectory, CancellationToken cancellationToken)
    {
        var binary = binaries.Select(b => ExecutableLookup.Find(b, pathVariable, workingDirectory)).FirstOrDefault(p => p is not null);
        if (binary is null || StampedFile.Read(binary) is not { } stamp)
        {
            return null;
        }
        var (versionExit, versionOutput) = await ProbeProcess.RunAsync(binary, ["--version"], pathVariable, cancellationToken).ConfigureAwait(false);
        var accepts = false;
        var uses = "";
        if (cc is not null)
        {
            var (exit, output) = await ProbeProcess.RunAsync(cc, ["-fuse-ld=" + name, "-Wl,--version"], pathVariable, cancellationToken).ConfigureAwait(false);
            accepts = exit == 0;
            uses = accepts ? LinkerPathIn(output) : "";
        }
        return new DetectedLinker
        {
            Name = name,
            Binary = stamp,
            Version = versionExit == 0 ? FirstLine(versionOutput) : "",
            DriverAccepts = accepts,
            DriverUses = uses,
        };
    }

    private static async Task<DriverInfo?> DescribeDriverAsync(string cc, string pathVariable, CancellationToken cancellationToken)
    {
        if (StampedFile.Read(cc) is not { } stamp)
        {
            return null;
        }
        var (_, verbose) = await ProbeProcess.RunAsync(cc, ["-v"], pathVariable, cancellationToken).ConfigureAwait(false);
        var (family, version) = FamilyAndVersion(verbose);
        var numeric = NumericVersion(version);
        string resolved;
        try
        {
            resolved = File.ResolveLinkTarget(cc, returnFinalTarget: true)?.FullName ?? cc;
        }
        catch (IOException)
        {
            resolved = cc;
        }
        return new DriverInfo
        {
            Binary = stamp,
            ResolvedPath = resolved,
            Version = version,
            Family = family,
            VersionSupportsMold = family == "clang" || (family == "gcc" && numeric >= new Version(12, 1)),
        };
    }

    // `cc -v` ends with "gcc version 12.2.0 (Debian …)" or "… clang version 14.0.6".
    private static (string Family, string Version) FamilyAndVersion(string verbose)
    {
        foreach (var line in verbose.Split('\n'))
        {
            var clang = line.IndexOf("clang version ", StringComparison.Ordinal);
            if (clang >= 0)
            {
                return ("clang", FirstWord(line[(clang + "clang version ".Length)..]));
            }
            if (line.StartsWith("gcc version ", StringComparison.Ordinal))
            {
                return ("gcc", FirstWord(line["gcc version ".Length..]));
            }
        }
        return ("unknown", "");
    }

    // gcc's collect2 echoes the linker command it runs for --version: the first absolute path on a line of its own.
    private static string LinkerPathIn(string output) =>
        output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('/')).Select(FirstWord).FirstOrDefault() ?? "";

    private static Version ReleaseOf(string versionLine)
    {
        // "rustc 1.95.0 (59807616e 2026-04-14)" or "rustc 1.96.0-nightly (…)".
        var words = versionLine.Split(' ');
        return words.Length > 1 ? NumericVersion(words[1]) : new Version(0, 0);
    }

    private static Version NumericVersion(string text)
    {
        var numbers = text.Split('.', '-').Take(3).Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).TakeWhile(n => n >= 0).ToList();
        return numbers.Count switch
        {
            0 => new Version(0, 0),
            1 => new Version(numbers[0], 0),
            2 => new Version(numbers[0], numbers[1]),
            _ => new Version(numbers[0], numbers[1], numbers[2]),
        };
    }

    // "LLD 22.1.2 (/checkout/src/llvm-project/llvm 1cb4…) (compatible …)": the build path says nothing to a reader.
    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        var buildPath = line.IndexOf(" (/", StringComparison.Ordinal);
        return buildPath < 0 ? line : line[..buildPath];
    }

    private static string FirstWord(string text) => text.Trim().Split(' ', 2)[0];
}
