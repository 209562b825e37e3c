namespace CacheFarm.Daemon.Security;

/// <summary>What a token may do. Entry writes are separate from blob writes: an entry decides what runs on every machine that hits it.</summary>
[Flags]
public enum Scopes
{
    None = 0,
    Read = 1,
    WriteBlobs = 2,
    WriteEntries = 4,
    Admin = 8,
}

/// <summary>Scope names as written in the token file.</summary>
public static class ScopeNames
{
    public static bool TryParse(string name, out Scopes scope)
    {
        scope = name switch
        {
            "read" => Scopes.Read,
            "write-blobs" => Scopes.WriteBlobs,
            "write-entries" => Scopes.WriteEntries,
            "admin" => Scopes.Admin,
            _ => Scopes.None,
        };
        return scope != Scopes.None;
    }

    public static string Name(Scopes scope) => scope switch
    {
        Scopes.Read => "read",
        Scopes.WriteBlobs => "write-blobs",
        Scopes.WriteEntries => "write-entries",
        Scopes.Admin => "admin",
        _ => scope.ToString(),
    };
}
