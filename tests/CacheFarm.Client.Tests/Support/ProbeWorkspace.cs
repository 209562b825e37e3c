namespace CacheFarm.Client.Tests.Support;

/// <summary>
/// A std-only workspace whose <c>probe</c> build script reads one input of every traced kind, most of them
/// undeclared: a declared file, a file outside its package, a variable, a program it runs and a C header
/// outside the checkout (through cc), plus a build-dependency. A second script, <c>bystander</c>, reads none
/// of them. <c>PROBE_ROGUE</c> makes the probe misbehave: write outside OUT_DIR, run a static program, or fail.
/// </summary>
public sealed class ProbeWorkspace
{
    private const string ProbeScript = """
        use std::{env, fs, path::Path, process::Command};
        fn main() {
            let out = env::var("OUT_DIR").unwrap();
            println!("cargo:rerun-if-changed=data.txt");
            let declared = fs::read_to_string("data.txt").unwrap();
            let extra = fs::read_to_string("../common-data/extra.txt").unwrap();
            let mode = env::var("PROBE_MODE").unwrap_or_default();
            let tool = Command::new(env::var("PROBE_TOOL").unwrap()).output().unwrap();
            let include = env::var("PROBE_INCLUDE").unwrap();
            let status = Command::new("cc").args(["-c", "probe.c", "-I", &include, "-o"]).arg(Path::new(&out).join("probe.o")).status().unwrap();
            assert!(status.success());
            let level = Command::new("cc").args(["-E", "-P", "-I", &include, "level.c"]).output().unwrap();
            match env::var("PROBE_ROGUE").as_deref() {
                Ok("outside") => fs::write("../rogue-wrote.txt", "x").unwrap(),
                Ok("static") => { Command::new("/sbin/ldconfig").arg("--version").output().unwrap(); }
                Ok("fail") => { eprintln!("probe failed on purpose"); std::process::exit(1); }
                _ => {}
            }
            let code = format!(
                "pub const DECLARED: &str = {:?};\npub const EXTRA: &str = {:?};\npub const MODE: &str = {:?};\npub const TOOL: &str = {:?};\npub const LEVEL: &str = {:?};\npub const HELPER: u32 = {};\n",
                declared.trim(), extra.trim(), mode, String::from_utf8_lossy(&tool.stdout).trim(), String::from_utf8_lossy(&level.stdout).trim(), helper::value());
            fs::write(Path::new(&out).join("probe.rs"), code).unwrap();
        }
        """;

    private readonly string _outside;

    public ProbeWorkspace(string outside)
    {
        _outside = outside;
        WriteFile(Path.Combine(outside, "include", "probe_ext.h"), "#define PROBE_LEVEL 1\n");
        WriteFile(Path.Combine(outside, "tool.sh"), "#!/bin/sh\necho tool-1\n");
        File.SetUnixFileMode(Path.Combine(outside, "tool.sh"), (UnixFileMode)0b111_101_101);
    }

    /// <summary>The variables the probe reads, as a build gets them.</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["PROBE_TOOL"] = Path.Combine(_outside, "tool.sh"),
        ["PROBE_INCLUDE"] = Path.Combine(_outside, "include"),
        ["PROBE_MODE"] = "one",
        ["PROBE_ROGUE"] = null,
        ["CARGO_INCREMENTAL"] = "0",
    };

    public string Write(string ws)
    {
        WriteFile(Path.Combine(ws, "Cargo.toml"), "[workspace]\nmembers = [\"app\", \"probe\", \"bystander\", \"helper\"]\nresolver = \"2\"\n[profile.dev]\nincremental = false\n");
        WriteFile(Path.Combine(ws, "common-data", "extra.txt"), "extra-1\n");
        Package(ws, "helper", "", "pub fn value() -> u32 { 1 }\n");
        Package(ws, "probe", "[build-dependencies]\nhelper = { path = \"../helper\" }\n", "include!(concat!(env!(\"OUT_DIR\"), \"/probe.rs\"));\n", ProbeScript);
        WriteFile(Path.Combine(ws, "probe", "data.txt"), "declared-1\n");
        WriteFile(Path.Combine(ws, "probe", "probe.c"), "#include \"probe_ext.h\"\nint probe_level(void) { return PROBE_LEVEL; }\n");
        WriteFile(Path.Combine(ws, "probe", "level.c"), "#include \"probe_ext.h\"\nPROBE_LEVEL\n");
        Package(ws, "bystander", "", "include!(concat!(env!(\"OUT_DIR\"), \"/by.rs\"));\n",
            "fn main() { std::fs::write(std::path::Path::new(&std::env::var(\"OUT_DIR\").unwrap()).join(\"by.rs\"), \"pub const BY: u32 = 7;\\n\").unwrap(); }\n");
        WriteFile(Path.Combine(ws, "app", "Cargo.toml"),
            "[package]\nname = \"probe-app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies]\nprobe = { path = \"../probe\" }\nbystander = { path = \"../bystander\" }\n");
        WriteFile(Path.Combine(ws, "app", "src", "main.rs"),
            "fn main() { println!(\"{} {} {} {} {} {} {}\", probe::DECLARED, probe::EXTRA, probe::MODE, probe::TOOL, probe::LEVEL, probe::HELPER, bystander::BY); }\n");
        return ws;
    }

    /// <summary>Changes one input of the probe; returns the environment the next builds run with.</summary>
    public Dictionary<string, string?> Change(string input, string ws, Dictionary<string, string?> environment)
    {
        var changed = new Dictionary<string, string?>(environment);
        switch (input)
        {
            case "an undeclared file outside the package":
                WriteFile(Path.Combine(ws, "common-data", "extra.txt"), "extra-2\n");
                break;
            case "an undeclared environment variable":
                changed["PROBE_MODE"] = "two";
                break;
            case "a C header outside the checkout":
                WriteFile(Path.Combine(_outside, "include", "probe_ext.h"), "#define PROBE_LEVEL 2\n");
                break;
            case "the program the script runs":
                WriteFile(Path.Combine(_outside, "tool.sh"), "#!/bin/sh\necho tool-2\n");
                break;
            case "a declared file":
                WriteFile(Path.Combine(ws, "probe", "data.txt"), "declared-2\n");
                break;
            case "a dependency of the script":
                WriteFile(Path.Combine(ws, "helper", "src", "lib.rs"), "pub fn value() -> u32 { 2 }\n");
                break;
            default:
                throw new ArgumentException("no such input: " + input, nameof(input));
        }
        return changed;
    }

    public async Task<string> RunAppAsync(string ws)
    {
        var run = await ProcessRun.RunAsync(Path.Combine(ws, "target", "debug", "probe-app"), [], ws, new Dictionary<string, string?>());
        Assert.Equal(0, run.ExitCode);
        return run.Stdout;
    }

    /// <summary>The probe's OUT_DIR files (generated code and the object cc compiled), by name.</summary>
    public static Dictionary<string, string> GeneratedCode(string ws)
    {
        var outDir = Assert.Single(Directory.GetDirectories(Path.Combine(ws, "target", "debug", "build"), "probe-*")
            .Select(d => Path.Combine(d, "out")), Directory.Exists);
        return Directory.GetFiles(outDir).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(File.ReadAllBytes(f)));
    }

    private static void Package(string ws, string name, string extraManifest, string lib, string? buildScript = null)
    {
        var build = buildScript is null ? "" : "build = \"build.rs\"\n";
        WriteFile(Path.Combine(ws, name, "Cargo.toml"), $"[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{build}{extraManifest}");
        WriteFile(Path.Combine(ws, name, "src", "lib.rs"), lib);
        if (buildScript is not null)
        {
            WriteFile(Path.Combine(ws, name, "build.rs"), buildScript);
        }
    }

    private static void WriteFile(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
