using System.Globalization;
using CacheFarm.Client.Reports;

namespace CacheFarm.Client.Slo;

/// <summary>Figures as the SLO tables print them.</summary>
public static class SloFormat
{
    public static string Value(SloUnit unit, double value) => unit switch
    {
        SloUnit.Seconds => string.Create(CultureInfo.InvariantCulture, $"{value:0.00} s"),
        SloUnit.Bytes => DurationText.Bytes((long)value),
        SloUnit.Ratio => string.Create(CultureInfo.InvariantCulture, $"{value:0.00}×"),
        SloUnit.Fraction => DurationText.Percent(value),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value * 100:+0.0;-0.0;0.0}%"),
    };

    /// <summary>"12.30 s" for one repetition; "12.30 s (11.90–13.10)" with the range of several.</summary>
    public static string Figure(SloUnit unit, SloFigure figure) =>
        figure.Count > 1 && figure.Min != figure.Max
            ? $"{Value(unit, figure.Median)} ({Value(unit, figure.Min)}–{Value(unit, figure.Max)})"
            : Value(unit, figure.Median);
}
