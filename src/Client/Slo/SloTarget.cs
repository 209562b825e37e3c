using System.Globalization;

namespace CacheFarm.Client.Slo;

/// <summary>A target on one figure of one scenario: at most (or, for the hit rate, at least) <see cref="Limit"/>.</summary>
public sealed record SloTarget(SloScenario Scenario, SloMetric Metric, double Limit)
{
    public bool Holds(double value) => Metric.AtLeast ? value >= Limit : value <= Limit;

    /// <summary>"≤ 90 s", "≥ 95.0%".</summary>
    public string Text => (Metric.AtLeast ? "≥ " : "≤ ") + SloFormat.Value(Metric.Unit, Limit);

    public string Name => Scenario.Name + "." + Metric.Key;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Text}");
}
