namespace CacheFarm.LinkShaper;

/// <summary>What the link adds: a delay each way and a rate cap each way.</summary>
public sealed record LinkShape(TimeSpan OneWayDelay, long BitsPerSecond)
{
    /// <summary>2 ms round trip and 1 Gbit/s: a runner and its cache in one data centre.</summary>
    public static LinkShape DataCentre { get; } = new(TimeSpan.FromMilliseconds(1), 1_000_000_000);

    public double BytesPerSecond => BitsPerSecond / 8.0;
}
