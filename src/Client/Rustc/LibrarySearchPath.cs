
namespace CacheFarm.Client.Rustc;

/// <summary>An <c>-L [kind=]path</c> argument; the kind is <c>all</c> when none is given.</summary>
public sealed record LibrarySearchPath(string Kind, string Path)
{
    private static readonly string[] Kinds = ["dependency", "crate", "native", "framework", "all"];

    public bool IsDependencyOnly => Kind is "dependency" or "crate";

    public bool CanHoldNativeLibraries => Kind is "native" or "all";

    public static LibrarySearchPath Parse(string value)
    {
        var eq = value.IndexOf('=');
        if (eq > 0 && Array.IndexOf(Kinds, value[..eq]) >= 0)
        {
            return new LibrarySearchPath(value[..eq], value[(eq + 1)..]);
        }
        return new LibrarySearchPath("all", value);
    }
}
