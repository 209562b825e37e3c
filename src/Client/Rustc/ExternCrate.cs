
namespace CacheFarm.Client.Rustc;

/// <summary>An <c>--extern [modifiers:]name[=path]</c> argument.</summary>
public sealed record ExternCrate(string Name, string? Path, string Modifiers)
{
    public static ExternCrate Parse(string value)
    {
        var eq = value.IndexOf('=');
        var head = eq < 0 ? value : value[..eq];
        var path = eq < 0 ? null : value[(eq + 1)..];
        var colon = head.IndexOf(':');
        return colon < 0 ? new ExternCrate(head, path, "") : new ExternCrate(head[(colon + 1)..], path, head[..colon]);
    }
}
