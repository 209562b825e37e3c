using System.Globalization;
using System.Text.Json;
using Tomlyn;
using Tomlyn.Model;

namespace CacheFarm.Daemon.Configuration;

/// <summary>Merges defaults, a TOML or JSON file, <c>CACHEFARM_*</c> variables and flags (later wins).</summary>
public static class DaemonSettingsLoader
{
    /// <summary>One setting: its file key, environment variable and flag (without the leading dashes).</summary>
    private sealed record Setting(string Key, string Env, string Flag, string Help, Func<DaemonSettings, string, DaemonSettings> Apply);

    private static readonly Setting[] Settings =
    [
        new("data_dir", "CACHEFARM_DATA_DIR", "data-dir", "data directory (default ~/.cache/cachefarm)",
            (s, v) => s with { DataDirectory = Path.GetFullPath(v) }),
        new("capacity", "CACHEFARM_CAPACITY", "capacity", "local tier capacity, e.g. 5G (default 5G)",
            (s, v) => s with { Capacity = Size(v, "capacity") }),
        new("listen", "CACHEFARM_LISTEN", "listen", "TCP endpoint host:port, or 'none' (default 127.0.0.1:4227)",
            (s, v) => s with { Listen = None(v) }),
        new("socket", "CACHEFARM_SOCKET", "socket", "Unix socket path, or 'none' (default <data_dir>/cachefarmd.sock)",
            (s, v) => s with { Socket = None(v) is { } path ? Path.GetFullPath(path) : "none" }),
        new("checkpoint_interval_seconds", "CACHEFARM_CHECKPOINT_INTERVAL", "checkpoint-interval", "seconds between checkpoints (default 10)",
            (s, v) => s with { CheckpointInterval = TimeSpan.FromSeconds(Number(v, "checkpoint_interval_seconds", min: 1)) }),
        new("max_concurrent_writes", "CACHEFARM_MAX_CONCURRENT_WRITES", "max-concurrent-writes", "writers into the log at once (default 4)",
            (s, v) => s with { MaxConcurrentWrites = (int)Number(v, "max_concurrent_writes", min: 1) }),
        new("idle_timeout_seconds", "CACHEFARM_IDLE_TIMEOUT", "idle-timeout", "stop after this many idle seconds; 0 = never (default 0)",
            (s, v) => s with { IdleTimeout = TimeSpan.FromSeconds(Number(v, "idle_timeout_seconds", min: 0)) }),
        new("log_memory", "CACHEFARM_LOG_MEMORY", "log-memory", "in-memory part of the log, e.g. 128M (default: from capacity)",
            (s, v) => s with { LogMemory = Size(v, "log_memory") }),
    ];

    public static string Usage => "usage: cachefarmd [--config FILE] [--no-socket] [--no-tcp]\n"
        + string.Join('\n', Settings.Select(s => $"  --{s.Flag,-22} {s.Help}  [{s.Env}; '{s.Key}' in the config file]"))
        + "\nconfig file: --config, CACHEFARM_CONFIG, or ~/.config/cachefarm/cachefarmd.toml (TOML or JSON)";

    /// <exception cref="SettingsException">A value, flag or file is invalid.</exception>
    public static DaemonSettings Load(IReadOnlyList<string> args, Func<string, string?> env)
    {
        var flags = ParseFlags(args);
        var settings = new DaemonSettings { DataDirectory = DaemonSettings.DefaultDataDirectory(env) };
        var configFile = flags.GetValueOrDefault("config") ?? env("CACHEFARM_CONFIG") ?? DefaultConfigFile(env);
        if (configFile is not null)
        {
            foreach (var (key, value) in ReadFile(configFile))
            {
                var setting = Settings.FirstOrDefault(s => s.Key == key)
                    ?? throw new SettingsException($"{configFile}: unknown setting '{key}'");
                settings = setting.Apply(settings, value);
            }
        }
        foreach (var setting in Settings)
        {
            if (env(setting.Env) is { Length: > 0 } value)
            {
                settings = setting.Apply(settings, value);
            }
        }
        foreach (var (flag, value) in flags)
        {
            if (flag is "config" or "no-socket" or "no-tcp")
            {
                continue;
            }
            var setting = Settings.FirstOrDefault(s => s.Flag == flag) ?? throw new SettingsException($"unknown flag --{flag}\n{Usage}");
            settings = setting.Apply(settings, value);
        }
        settings = settings with
        {
            Socket = flags.ContainsKey("no-socket") || settings.Socket == "none" ? null : settings.Socket ?? DaemonSettings.DefaultSocket(settings.DataDirectory),
            Listen = flags.ContainsKey("no-tcp") ? null : settings.Listen,
        };
        if (settings.Socket is null && settings.Listen is null)
        {
            throw new SettingsException("nothing to listen on: both the socket and TCP are disabled");
        }
        return settings;
    }

    private static Dictionary<string, string> ParseFlags(IReadOnlyList<string> args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new SettingsException($"unexpected argument '{arg}'\n{Usage}");
            }
            var name = arg[2..];
            if (name is "no-socket" or "no-tcp")
            {
                flags[name] = "true";
                continue;
            }
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                flags[name[..eq]] = name[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                flags[name] = args[++i];
            }
            else
            {
                throw new SettingsException($"--{name} needs a value");
            }
        }
        return flags;
    }

    private static string? DefaultConfigFile(Func<string, string?> env)
    {
        var configHome = env("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(configHome))
        {
            configHome = Path.Combine(env("HOME") ?? "/", ".config");
        }
        var path = Path.Combine(configHome, "cachefarm", "cachefarmd.toml");
        return File.Exists(path) ? path : null;
    }

    private static IEnumerable<KeyValuePair<string, string>> ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new SettingsException($"cannot read config file {path}: {e.Message}");
        }
        try
        {
            return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FlattenJson(text) : FlattenToml(text);
        }
        catch (Exception e) when (e is JsonException or TomlException)
        {
            throw new SettingsException($"config file {path} is invalid: {e.Message}");
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> FlattenToml(string text)
    {
        var table = TomlSerializer.Deserialize<TomlTable>(text, (TomlSerializerOptions?)null) ?? new TomlTable();
        return table.Select(kv => KeyValuePair.Create(kv.Key, Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""));
    }

    private static IEnumerable<KeyValuePair<string, string>> FlattenJson(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))
            .ToList();
    }

    private static string? None(string value) => value is "none" or "" ? null : value;

    private static long Size(string value, string key) =>
        ByteSize.TryParse(value, out var bytes) && bytes > 0 ? bytes : throw new SettingsException($"{key}: '{value}' is not a size (e.g. 512M, 5G)");

    private static double Number(string value, string key, double min) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new SettingsException($"{key}: '{value}' is not a number >= {min}");
}

/// <summary>A configuration problem, reported to the user with exit code 2.</summary>
public sealed class SettingsException(string message) : Exception(message);
