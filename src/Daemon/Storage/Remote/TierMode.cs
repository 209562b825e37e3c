namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>What the daemon may do with a remote tier: PR builds read a shared cache and never write it.</summary>
public enum TierMode
{
    ReadWrite,
    ReadOnly,
    WriteOnly,
    Off,
}

/// <summary>Reading, writing and naming <see cref="TierMode"/> values.</summary>
public static class TierModeExtensions
{
    public static bool CanRead(this TierMode mode) => mode is TierMode.ReadWrite or TierMode.ReadOnly;

    public static bool CanWrite(this TierMode mode) => mode is TierMode.ReadWrite or TierMode.WriteOnly;

    public static string Name(this TierMode mode) => mode switch
    {
        TierMode.ReadWrite => "read-write",
        TierMode.ReadOnly => "read-only",
        TierMode.WriteOnly => "write-only",
        _ => "off",
    };

    /// <summary>Accepts CacheFarm's spelling (<c>read-only</c>) and sccache's (<c>READ_ONLY</c>).</summary>
    public static bool TryParse(string text, out TierMode mode)
    {
        mode = text.Trim().ToLowerInvariant().Replace('_', '-') switch
        {
            "read-write" or "rw" => TierMode.ReadWrite,
            "read-only" or "ro" => TierMode.ReadOnly,
            "write-only" or "wo" => TierMode.WriteOnly,
            "off" or "none" => TierMode.Off,
            _ => (TierMode)(-1),
        };
        return Enum.IsDefined(mode);
    }
}
