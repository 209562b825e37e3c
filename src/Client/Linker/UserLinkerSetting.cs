namespace CacheFarm.Client.Linker;

/// <summary>
/// A linker the user chose in rustc's arguments, which cachefarm never overrides: <c>-C linker</c>, <c>-C linker-flavor</c>,
/// <c>-C linker-features</c>, <c>-C link-self-contained</c>, or link arguments with <c>-fuse-ld=</c>, <c>--ld-path=</c> or <c>-B</c>.
/// Cargo passes RUSTFLAGS, CARGO_ENCODED_RUSTFLAGS, <c>[build] rustflags</c> and <c>target.*.linker</c> as such
/// arguments, so looking at the arguments covers them all.
/// </summary>
public sealed record UserLinkerSetting(string Linker, string Description, bool ReplacesDriver)
{
    public static UserLinkerSetting? Find(Rustc.RustcArgs args)
    {
        UserLinkerSetting? found = null;
        foreach (var (name, value) in args.Codegen)
        {
            var text = value ?? "";
            var setting = name switch
            {
                "linker" => new UserLinkerSetting(Path.GetFileName(text), "-C linker=" + text, true),
                "linker-flavor" => new UserLinkerSetting(text, "-C linker-flavor=" + text, true),
                "linker-features" or "link-self-contained" => new UserLinkerSetting(SwitchesOffSelfContained(text) ? "cc default" : "rust-lld", $"-C {name}={text}", false),
                "link-arg" or "link-args" => FromLinkArguments(name, text),
                _ => null,
            };
            // A replaced driver matters most (no shim then); otherwise the last setting wins, as in rustc.
            if (setting is not null && found is not { ReplacesDriver: true })
            {
                found = setting;
            }
        }
        return found;
    }

    // -C linker-features=-lld or -C link-self-contained=-linker (or =no): the C driver's own linker links.
    private static bool SwitchesOffSelfContained(string value) =>
        value.Contains("-lld", StringComparison.Ordinal) || value.Contains("-linker", StringComparison.Ordinal) || value is "no" or "n" or "off" or "false";

    private static UserLinkerSetting? FromLinkArguments(string name, string text)
    {
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("-fuse-ld=", StringComparison.Ordinal))
            {
                return new UserLinkerSetting(word["-fuse-ld=".Length..], $"-C {name}={text}", false);
            }
            if (word.StartsWith("--ld-path=", StringComparison.Ordinal) || word.StartsWith("-B", StringComparison.Ordinal))
            {
                return new UserLinkerSetting(Path.GetFileName(word.Split('=', 2)[^1]), $"-C {name}={text}", false);
            }
        }
        return null;
    }
}
