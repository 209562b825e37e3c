
namespace CacheFarm.Client.Rustc;

/// <summary>An <c>-l [kind[:modifiers]=]name[:rename]</c> argument.</summary>
public sealed record NativeLibrary(string Kind, string Name)
{
    public bool IsStatic => Kind == "static";

    public static NativeLibrary Parse(string value)
    {
        var kind = "";
        var eq = value.IndexOf('=');
        if (eq > 0)
        {
            kind = value[..eq];
            var colon = kind.IndexOf(':');
            if (colon >= 0)
            {
                kind = kind[..colon];
            }
            value = value[(eq + 1)..];
        }
        var rename = value.IndexOf(':');
        return new NativeLibrary(kind, rename < 0 ? value : value[..rename]);
    }
}
