namespace CacheFarm.Client.Slo;

/// <summary>One figure over the repetitions of a scenario: median and range.</summary>
public sealed record SloFigure(double Median, double Min, double Max, int Count)
{
    /// <summary>The figure of <paramref name="values"/>, or null when none was measured.</summary>
    public static SloFigure? Of(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new SloFigure(median, sorted[0], sorted[^1], sorted.Count);
    }
}
