using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>A directory whose location differs between checkouts (workspace, target dir, registry, cargo home), and its stand-ins.</summary>
public sealed record PathRoot(string Name, string Path)
{
    /// <summary>How the root is written in keys and stored texts: a token no real path contains.</summary>
    public string Placeholder => "\u0001" + Name + "\u0001";

    /// <summary>Where <c>--remap-path-prefix</c> moves the root in debuginfo, panics and diagnostics.</summary>
    public string RemappedTo => RemapPrefix + Name;

    /// <summary>The directory every root is remapped under.</summary>
    public const string RemapPrefix = "/cachefarm/";
}
