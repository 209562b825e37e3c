using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;
using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.Rustc;

/// <summary>
/// A crate laid out as cargo lays out a workspace member (sources, an OUT_DIR file, an extern rlib, a native
/// archive) in a checkout at a chosen path, with the arguments and environment cargo would give rustc; computes
/// the real first-level and entry keys with the real toolchain.
/// </summary>
public sealed class KeyScenario : IDisposable
{
    private static readonly TempDirectory SharedMemo = new("cf-keymemo");
    private readonly TempDirectory _dir = new("cf-key");

    public KeyScenario(string checkout = "a")
    {
        Root = _dir.Combine(checkout);
        Write("genlib/src/lib.rs", "include!(concat!(env!(\"OUT_DIR\"), \"/generated.rs\"));\npub const G: &str = include_str!(\"../data/greeting.txt\");\n");
        Write("genlib/data/greeting.txt", "hello");
        Write("target/debug/build/genlib-2/out/generated.rs", "pub const N: u32 = 1;");
        Write("target/debug/build/genlib-2/out/libnative.a", "!<arch>\nnative v1");
        Write("target/debug/deps/libdep-1.rlib", "dep rlib v1");
        Args =
        [
            "--crate-name", "genlib", "--edition=2021", "genlib/src/lib.rs", "--error-format=json", "--crate-type", "lib",
            "--emit=dep-info,metadata,link", "--cfg", "feature=\"a\"", "--cfg", "feature=\"b\"", "--check-cfg", "cfg(feature, values(\"a\", \"b\"))",
            "-C", "opt-level=0", "-C", "metadata=0123", "-C", "extra-filename=-0123", "--out-dir", Root + "/target/debug/deps",
            "-L", "dependency=" + Root + "/target/debug/deps", "-L", "native=" + Root + "/target/debug/build/genlib-2/out",
            "--extern", "dep=" + Root + "/target/debug/deps/libdep-1.rlib", "--diagnostic-width=100", "--color", "always",
        ];
        Environment = new Dictionary<string, string>
        {
            ["CARGO_PKG_NAME"] = "genlib",
            ["CARGO_PKG_VERSION"] = "0.1.0",
            ["CARGO_CRATE_NAME"] = "genlib",
            ["CARGO_MANIFEST_DIR"] = Root + "/genlib",
            ["CARGO_MANIFEST_PATH"] = Root + "/genlib/Cargo.toml",
            ["OUT_DIR"] = Root + "/target/debug/build/genlib-2/out",
            ["CARGO_MAKEFLAGS"] = "-j --jobserver-fds=6,7 --jobserver-auth=6,7",
            ["CARGO_HOME"] = "/home/builder/.cargo",
            ["FLAVOR"] = "vanilla",
            ["PATH"] = RustTools.SearchPath,
        };
    }

    public string Root { get; }

    public List<string> Args { get; set; }

    public Dictionary<string, string> Environment { get; }

    public bool RemapPaths { get; set; } = true;

    /// <summary>The dep-info rustc would write for the crate: its sources and the variables it read.</summary>
    public string DepInfo =>
        $"{Root}/target/debug/deps/genlib-0123.d: genlib/src/lib.rs {Root}/target/debug/build/genlib-2/out/generated.rs genlib/src/../data/greeting.txt\n\n"
        + $"# env-dep:FLAVOR={Environment.GetValueOrDefault("FLAVOR")}\n# env-dep:OUT_DIR={Environment["OUT_DIR"]}\n";

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Replace(string from, string to) => Args = [.. Args.Select(a => a == from ? to : a)];

    public async Task<string> FirstLevelKeyAsync() => await FirstLevelKey.ComputeAsync(await CallAsync(), CancellationToken.None);

    public async Task<string> EntryKeyAsync()
    {
        var call = await CallAsync();
        var firstLevelKey = await FirstLevelKey.ComputeAsync(call, CancellationToken.None);
        var inputs = new InputFiles(call, InputDigestMemo.Load(call.MemoDirectory, firstLevelKey));
        // Compile "started" after the files were written, so none counts as changed during the compile.
        var candidate = inputs.CandidateFrom(DepInfoFile.Parse(DepInfo), FileStamp.NowNs() + 60_000_000_000, pathDependent: false)
            ?? throw new InvalidOperationException("no candidate");
        return EntryKey.Compute(firstLevelKey, candidate, call.Roots);
    }

    /// <summary>The rustc call as the wrapper sees it, with the real toolchain.</summary>
    public async Task<RustcCall> CallAsync()
    {
        var args = RustcArgsParser.Parse(Args);
        var toolchain = await ToolchainIdentity.ResolveAsync(RustTools.Rustc, SharedMemo.Path, CancellationToken.None);
        return new RustcCall
        {
            RustcPath = toolchain.RustcPath,
            Args = args,
            Roots = CheckoutRoots.Detect(args, Root, name => Environment.GetValueOrDefault(name)),
            Toolchain = toolchain,
            Environment = Environment,
            MemoDirectory = _dir.Combine("memo"),
            Digests = new FileDigestMemo(_dir.Combine("memo"), new FileStamps()),
            RemapPaths = RemapPaths,
        };
    }

    public void Dispose() => _dir.Dispose();
}
