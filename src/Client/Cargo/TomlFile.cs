using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace CacheFarm.Client.Cargo;

/// <summary>A TOML file (a Cargo.toml, an SLO config) read into Tomlyn's plain model.</summary>
public static class TomlFile
{
    /// <summary>The file's top-level table; a missing, unreadable or invalid file is reported through <paramref name="error"/>.</summary>
    public static TomlTable Read(string path, Func<string, Exception> error)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw error($"cannot read {path}: {e.Message}");
        }
        try
        {
            return TomlSerializer.Deserialize(text, TomlModelContext.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw error($"{path} is not valid TOML: {e.Message}");
        }
    }

    /// <summary>The table at the dotted path of <paramref name="keys"/> under <paramref name="table"/>, or null.</summary>
    public static TomlTable? Table(TomlTable table, params string[] keys)
    {
        var current = table;
        foreach (var key in keys)
        {
            if (!current.TryGetValue(key, out var value) || value is not TomlTable next)
            {
                return null;
            }
            current = next;
        }
        return current;
    }
}

/// <summary>TOML read into the plain model without reflection, as NativeAOT requires.</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class TomlModelContext : TomlSerializerContext;
