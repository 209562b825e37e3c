namespace CacheFarm.Client.Linker;

/// <summary>What CACHEFARM_LINKER asks for: learn the fastest linker (auto), force one, leave rustc's choice, or stay out entirely.</summary>
public enum LinkerPolicyKind
{
    Auto,
    Mold,
    Lld,
    Bfd,
    Default,
    Off,
}

/// <summary>The parsed CACHEFARM_LINKER value, with the text of a value that was not understood (which then means auto).</summary>
public sealed record LinkerPolicy(LinkerPolicyKind Kind, string? Unrecognised)
{
    public const string Variable = "CACHEFARM_LINKER";

    public static LinkerPolicy Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => new(LinkerPolicyKind.Auto, null),
        "mold" => new(LinkerPolicyKind.Mold, null),
        "lld" => new(LinkerPolicyKind.Lld, null),
        "bfd" or "ld" or "gnu" => new(LinkerPolicyKind.Bfd, null),
        "default" or "rustc" => new(LinkerPolicyKind.Default, null),
        "off" or "none" or "0" => new(LinkerPolicyKind.Off, null),
        _ => new(LinkerPolicyKind.Auto, value),
    };

    /// <summary>The candidate name a forcing policy names (mold, lld, bfd, default), or null for auto and off.</summary>
    public string? ForcedCandidate => Kind switch
    {
        LinkerPolicyKind.Mold => LinkerCandidate.Mold,
        LinkerPolicyKind.Lld => LinkerCandidate.Lld,
        LinkerPolicyKind.Bfd => LinkerCandidate.Bfd,
        LinkerPolicyKind.Default => LinkerCandidate.Default,
        _ => null,
    };
}
