namespace CacheFarm.Client.Linker;

/// <summary>What the link shim measured during one rustc run: the real link time(s) and any shadow links.</summary>
public sealed record LinkOutcome(long LinkUs, int Links, IReadOnlyList<ShadowLink> ShadowLinks)
{
    public static readonly LinkOutcome None = new(0, 0, []);

    /// <summary>Reads the shim's lines (<c>link|trial TAB µs TAB exit</c>); each shadow link is paired with the real link before it.</summary>
    public static LinkOutcome Parse(string text, string trialLinker)
    {
        long total = 0, lastLink = 0;
        var links = 0;
        var shadows = new List<ShadowLink>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length < 3 || !long.TryParse(fields[1], out var us) || !int.TryParse(fields[2], out var exit))
            {
                continue;
            }
            if (fields[0] == "link")
            {
                total += us;
                lastLink = us;
                links++;
            }
            else if (fields[0] == "trial")
            {
                shadows.Add(new ShadowLink(trialLinker, us, lastLink, exit != 0));
            }
        }
        return new LinkOutcome(total, links, shadows);
    }
}

/// <summary>One shadow link: the candidate, its time, the real link's time on the same job, and whether it failed.</summary>
public sealed record ShadowLink(string Candidate, long Us, long BaselineUs, bool Failed);
