
namespace CacheFarm.Client.Rustc;

/// <summary>
/// The environment variables that go into the first-level key: the ones cargo sets that can reach a crate's
/// output (package metadata, manifest paths, OUT_DIR, …) even when a proc-macro reads them without rustc
/// tracking it, and the few rustc itself obeys. Never CARGO_MAKEFLAGS, CARGO_BUILD_JOBS, CARGO_REGISTRIES_*
/// or anything else that only steers cargo; variables a crate reads with env!() are keyed through dep-info.
/// </summary>
public static class KeyedEnvironment
{
    private static readonly string[] Prefixes = ["CARGO_PKG_", "CARGO_BIN_EXE_", "CARGO_CFG_", "CARGO_FEATURE_"];

    private static readonly string[] Names =
    [
        "CARGO_CRATE_NAME", "CARGO_PRIMARY_PACKAGE", "CARGO_MANIFEST_DIR", "CARGO_MANIFEST_PATH", "CARGO_MANIFEST_LINKS",
        "CARGO_BIN_NAME", "CARGO_TARGET_TMPDIR", "CARGO_RUSTC_CURRENT_DIR", "OUT_DIR", "RUSTC_BOOTSTRAP",
    ];

    /// <summary>Variables that only matter when rustc runs a linker.</summary>
    private static readonly string[] LinkNames = ["LIBRARY_PATH"];

    public static bool IsKeyed(string name, bool links) =>
        Array.IndexOf(Names, name) >= 0
        || Array.Exists(Prefixes, p => name.StartsWith(p, StringComparison.Ordinal))
        || (links && Array.IndexOf(LinkNames, name) >= 0);

    /// <summary>The keyed variables of <paramref name="environment"/>, sorted by name.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Select(IEnumerable<KeyValuePair<string, string>> environment, bool links) =>
        environment.Where(kv => IsKeyed(kv.Key, links)).OrderBy(kv => kv.Key, StringComparer.Ordinal);
}
