using System.Globalization;
using CacheFarm.Client.Cargo;
using Tomlyn.Model;

namespace CacheFarm.Client.Doctor;

/// <summary>
/// Profile settings that decide build time and binary size, as the workspace's Cargo.toml sets them (or cargo's
/// defaults), with CARGO_PROFILE_* variables taking precedence as they do for cargo.
/// </summary>
public static class ProfileCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        if (context.WorkspaceRoot is not { } root)
        {
            yield break;
        }
        string? unreadable = null;
        TomlTable manifest;
        try
        {
            manifest = TomlFile.Read(Path.Combine(root, "Cargo.toml"), message => new InvalidDataException(message));
        }
        catch (InvalidDataException e)
        {
            (manifest, unreadable) = (new TomlTable(), e.Message);
        }
        if (unreadable is not null)
        {
            yield return new DoctorFinding("profiles", DoctorSeverity.Problem, "Cargo.toml cannot be read", [unreadable]);
            yield break;
        }
        string? Setting(string profile, string key) =>
            context.Env($"CARGO_PROFILE_{profile.ToUpperInvariant()}_{key.ToUpperInvariant().Replace('-', '_')}") is { Length: > 0 } fromEnv
                ? fromEnv
                : TomlFile.Table(manifest, "profile", profile) is { } table && table.TryGetValue(key, out var value) ? Text(value) : null;

        var inCi = context.Env("CI") is { Length: > 0 } ci && ci is not ("0" or "false");
        var devDebug = Setting("dev", "debug") ?? "true";
        if (devDebug is "true" or "2" or "full")
        {
            yield return new DoctorFinding("profiles", inCi ? DoctorSeverity.Problem : DoctorSeverity.Advice, $"debuginfo in dev builds: debug = {devDebug}{(inCi ? " (this is a CI run)" : "")}",
                ["full debuginfo makes objects several times larger: slower links, more cache traffic, more disk"],
                "in CI set CARGO_PROFILE_DEV_DEBUG=line-tables-only (or 0); or [profile.dev] debug = \"line-tables-only\"");
        }
        var splitDebuginfo = Setting("dev", "split-debuginfo");
        if (splitDebuginfo is null or "off" && devDebug is not ("false" or "0" or "none"))
        {
            yield return new DoctorFinding("profiles", DoctorSeverity.Advice, $"split-debuginfo in dev builds: {splitDebuginfo ?? "off (default on Linux)"}",
                ["the linker copies every object's debuginfo into each binary"],
                "[profile.dev] split-debuginfo = \"unpacked\" leaves it in the objects: faster links");
        }
        var releaseUnits = Setting("release", "codegen-units");
        yield return new DoctorFinding("profiles", DoctorSeverity.Advice, $"codegen-units in release builds: {releaseUnits ?? "16 (default)"}",
            ["1 gives the smallest, fastest binaries and the slowest compile; 16 compiles in parallel"],
            releaseUnits is null ? "set [profile.release] codegen-units = 1 when binary size or speed is a target; keep 16 when build time is" : "");
        var lto = Setting("release", "lto");
        if (lto is null or "false" or "off")
        {
            yield return new DoctorFinding("profiles", DoctorSeverity.Advice, $"LTO in release builds: {lto ?? "off (default)"}",
                ["thin LTO shrinks and speeds up binaries for a modest build cost"],
                "[profile.release] lto = \"thin\"");
        }
        var panic = Setting("release", "panic");
        if (panic is null or "unwind")
        {
            yield return new DoctorFinding("profiles", DoctorSeverity.Advice, "panic strategy in release builds: unwind (default)",
                ["unwinding tables add to every binary"],
                "[profile.release] panic = \"abort\" when nothing catches panics (catch_unwind, test harnesses)");
        }
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
