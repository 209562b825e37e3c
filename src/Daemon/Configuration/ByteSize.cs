using System.Globalization;

namespace CacheFarm.Daemon.Configuration;

/// <summary>Parses sizes the way sccache users write them: <c>512M</c>, <c>5G</c>, <c>5GiB</c>, plain bytes.</summary>
public static class ByteSize
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim().ToUpperInvariant().Replace("IB", "").TrimEnd('B');
        if (s.Length == 0)
        {
            return false;
        }
        var shift = s[^1] switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        };
        var number = shift == 0 ? s : s[..^1];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return false;
        }
        bytes = (long)(value * (1L << shift));
        return true;
    }
}
