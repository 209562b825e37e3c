namespace CacheFarm.Client.Linker;

/// <summary>
/// Turns shadow-link samples into relative link speeds. Each sample compares two linkers on the same link job, so
/// job size cancels out: per pair the duration-weighted median of log(time ratio) is taken (long links count
/// most, outliers from a busy machine little), then every linker gets one score by averaging over the pairs it is in.
/// </summary>
public static class LinkerRanking
{
    public const int MinSamples = 3;
    public const int EnoughSamples = 16;
    public const long EnoughMeasuredUs = 1_000_000;

    /// <summary>A linker this much slower than the fastest after two samples needs no more measuring to be ruled out.</summary>
    public const double ClearlySlower = 1.5;

    /// <summary>
    /// A measured choice changes only for a linker at least this much faster. The choice is in the cache key, so a
    /// flip misses on every linked crate (binaries, proc-macros, build scripts, and so every build-script run) in
    /// the next build; two near-equal linkers measured on a busy host differ by more than 5% from one re-check to the next.
    /// </summary>
    public const double SwitchMargin = 1.15;

    private const int Iterations = 200;

    public static Dictionary<string, LinkerScore> Score(IReadOnlyList<LinkSample> samples, IReadOnlyCollection<string> names)
    {
        var usable = samples.Where(s => names.Contains(s.Baseline) && names.Contains(s.Candidate) && s.Baseline != s.Candidate && s.BaselineUs > 0 && s.CandidateUs > 0).ToList();
        var pairs = usable
            .GroupBy(s => string.CompareOrdinal(s.Baseline, s.Candidate) < 0 ? (A: s.Baseline, B: s.Candidate) : (A: s.Candidate, B: s.Baseline))
            .Select(g => (g.Key.A, g.Key.B, LogRatio: WeightedMedian(g.Select(s => (Value: Math.Log(TimeOf(s, g.Key.B) / (double)TimeOf(s, g.Key.A)), Weight: (double)(s.BaselineUs + s.CandidateUs))).ToList()), Weight: g.Sum(s => (double)(s.BaselineUs + s.CandidateUs))))
            .ToList();
        var logScores = Solve(pairs, usable);
        var fastest = logScores.Count == 0 ? 0 : logScores.Values.Min();
        var result = new Dictionary<string, LinkerScore>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var own = usable.Where(s => s.Baseline == name || s.Candidate == name).ToList();
            // Link work seen in its comparisons (both sides): a fast linker is measured as well as a slow one.
            var measured = own.Sum(s => s.BaselineUs + s.CandidateUs);
            double? relative = logScores.TryGetValue(name, out var log) ? Math.Exp(log - fastest) : null;
            var settled = (own.Count >= MinSamples && (measured >= EnoughMeasuredUs || own.Count >= EnoughSamples))
                || (own.Count >= 2 && relative >= ClearlySlower);
            result[name] = new LinkerScore(
                name,
                relative,
                own.Count,
                measured,
                settled,
                own.Count == 0 ? 0 : own.Max(s => s.AtUnixMs));
        }
        return result;
    }

    // Least squares over the pair differences (Gauss-Seidel on a graph this small), anchored at the most-sampled
    // linker; linkers never compared with it (directly or through others) get no score.
    private static Dictionary<string, double> Solve(List<(string A, string B, double LogRatio, double Weight)> pairs, List<LinkSample> samples)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if (pairs.Count == 0)
        {
            return scores;
        }
        var anchor = samples.SelectMany(s => new[] { s.Baseline, s.Candidate }).GroupBy(n => n).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var connected = new HashSet<string>(StringComparer.Ordinal) { anchor };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (a, b, _, _) in pairs)
            {
                if (connected.Contains(a) != connected.Contains(b))
                {
                    connected.Add(a);
                    connected.Add(b);
                    grew = true;
                }
            }
        }
        foreach (var name in connected)
        {
            scores[name] = 0;
        }
        for (var i = 0; i < Iterations; i++)
        {
            foreach (var name in connected.Where(n => n != anchor))
            {
                double sum = 0, weight = 0;
                foreach (var (a, b, logRatio, w) in pairs)
                {
                    // logRatio = log(time of b / time of a), so score(b) ≈ score(a) + logRatio.
                    if (a == name)
                    {
                        sum += w * (scores[b] - logRatio);
                        weight += w;
                    }
                    else if (b == name)
                    {
                        sum += w * (scores[a] + logRatio);
                        weight += w;
                    }
                }
                scores[name] = sum / weight;
            }
        }
        return scores;
    }

    private static long TimeOf(LinkSample sample, string name) => sample.Baseline == name ? sample.BaselineUs : sample.CandidateUs;

    private static double WeightedMedian(List<(double Value, double Weight)> values)
    {
        values.Sort((x, y) => x.Value.CompareTo(y.Value));
        var half = values.Sum(v => v.Weight) / 2;
        double running = 0;
        foreach (var (value, weight) in values)
        {
            running += weight;
            if (running >= half)
            {
                return value;
            }
        }
        return values[^1].Value;
    }
}
