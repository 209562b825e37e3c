using CacheFarm.Client.CFamily;

namespace CacheFarm.Client.Linker;

/// <summary>
/// Rewrites a real link command into a shadow link with another linker: rustc's linker selection
/// (<c>-fuse-ld=…</c> and its <c>-B…/gcc-ld</c>) is removed, the candidate's added, and the output sent to a scratch file.
/// </summary>
public static class LinkTrialArguments
{
    /// <summary>Above this many characters the arguments go through a response file, as rustc does.</summary>
    private const int MaxCommandChars = 64 << 10;

    /// <summary>The shadow link's arguments, or null when the command names no output (nothing safe to redirect).</summary>
    public static List<string>? Build(IEnumerable<string> args, IEnumerable<string> candidateArgs, string scratchOutput, string responseFile)
    {
        var expanded = GccResponseFile.Expand(args);
        var result = new List<string>();
        var sawOutput = false;
        for (var i = 0; i < expanded.Count; i++)
        {
            var arg = expanded[i];
            if (arg.StartsWith("-fuse-ld=", StringComparison.Ordinal) || (arg.StartsWith("-B", StringComparison.Ordinal) && arg.Length > 2 && IsGccLd(arg[2..])))
            {
                continue;
            }
            if (arg == "-B" && i + 1 < expanded.Count && IsGccLd(expanded[i + 1]))
            {
                i++;
                continue;
            }
            if (arg == "-o" && i + 1 < expanded.Count)
            {
                result.Add("-o");
                result.Add(scratchOutput);
                sawOutput = true;
                i++;
                continue;
            }
            result.Add(arg);
        }
        if (!sawOutput)
        {
            return null;
        }
        result.AddRange(candidateArgs);
        if (result.Sum(a => a.Length + 1) <= MaxCommandChars)
        {
            return result;
        }
        File.WriteAllText(responseFile, GccResponseFile.Write(result));
        return ["@" + responseFile];
    }

    private static bool IsGccLd(string directory) => Path.GetFileName(directory.TrimEnd('/')) == "gcc-ld";
}
