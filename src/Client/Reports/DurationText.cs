using System.Globalization;

namespace CacheFarm.Client.Reports;

/// <summary>Durations and sizes in the units a person reads at a glance (12 ms, 3.45 s, 2.1 MiB).</summary>
public static class DurationText
{
    public static string Of(long microseconds) => microseconds switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds} µs"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000.0:0} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1e6:0.00} s"),
    };

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB"),
    };

    public static string Percent(double? fraction) =>
        fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f * 100:0.0}%") : "-";
}
