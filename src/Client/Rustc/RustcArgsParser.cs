
namespace CacheFarm.Client.Rustc;

/// <summary>Parses rustc's getopts-style command line: <c>--name value</c>, <c>--name=value</c>, <c>-Xvalue</c>, <c>-X value</c> and grouped flags.</summary>
public static class RustcArgsParser
{
    private const string ShortWithValue = "CLloAWDFZ";
    private const string ShortFlags = "hgOvV";

    private static readonly Dictionary<string, string> LongWithValue = new(StringComparer.Ordinal)
    {
        ["--cfg"] = "--cfg", ["--check-cfg"] = "--check-cfg", ["--crate-type"] = "--crate-type",
        ["--crate-name"] = "--crate-name", ["--edition"] = "--edition", ["--emit"] = "--emit", ["--print"] = "--print",
        ["--out-dir"] = "--out-dir", ["--explain"] = "--explain", ["--target"] = "--target",
        ["--allow"] = "-A", ["--warn"] = "-W", ["--force-warn"] = "--force-warn", ["--deny"] = "-D", ["--forbid"] = "-F",
        ["--cap-lints"] = "--cap-lints", ["--codegen"] = "-C", ["--extern"] = "--extern", ["--sysroot"] = "--sysroot",
        ["--error-format"] = "--error-format", ["--json"] = "--json", ["--color"] = "--color",
        ["--diagnostic-width"] = "--diagnostic-width", ["--remap-path-prefix"] = "--remap-path-prefix",
        ["--remap-path-scope"] = "--remap-path-scope", ["--unpretty"] = "--unpretty", ["--pretty"] = "--pretty",
        ["--env-set"] = "--env-set", ["--extern-location"] = "--extern-location",
    };

    private static readonly Dictionary<string, string> LongFlags = new(StringComparer.Ordinal)
    {
        ["--help"] = "-h", ["--test"] = "--test", ["--verbose"] = "-v", ["--version"] = "-V",
    };

    public static RustcArgs Parse(IReadOnlyList<string> expanded)
    {
        var parsed = new RustcArgs();
        Append(parsed, expanded);
        return parsed;
    }

    /// <summary>Parses arguments that follow those already in <paramref name="parsed"/>, as if they had been on the same command line.</summary>
    public static void Append(RustcArgs parsed, IReadOnlyList<string> expanded)
    {
        for (var i = 0; i < expanded.Count && parsed.ParseError is null; i++)
        {
            var arg = expanded[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var eq = arg.IndexOf('=');
                var name = eq < 0 ? arg : arg[..eq];
                if (LongFlags.TryGetValue(name, out var flag) && eq < 0)
                {
                    Apply(parsed, flag, null);
                }
                else if (LongWithValue.TryGetValue(name, out var canonical))
                {
                    var value = eq >= 0 ? arg[(eq + 1)..] : Next(expanded, ref i, parsed, name);
                    Apply(parsed, canonical, value);
                }
                else
                {
                    parsed.ParseError = $"unknown option {name}";
                }
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                var letter = arg[1];
                if (ShortWithValue.Contains(letter))
                {
                    var value = arg.Length > 2 ? arg[2..] : Next(expanded, ref i, parsed, arg);
                    Apply(parsed, "-" + letter, value);
                }
                else if (arg.AsSpan(1).IndexOfAnyExcept(ShortFlags) < 0)
                {
                    foreach (var f in arg.AsSpan(1))
                    {
                        Apply(parsed, "-" + f, null);
                    }
                }
                else
                {
                    parsed.ParseError = $"unknown option {arg}";
                }
            }
            else
            {
                parsed.Inputs.Add(arg);
                parsed.Options.Add(new RustcOption("<input>", arg));
            }
        }
    }

    private static string? Next(IReadOnlyList<string> args, ref int i, RustcArgs parsed, string name)
    {
        if (i + 1 >= args.Count)
        {
            parsed.ParseError = $"{name} needs a value";
            return null;
        }
        return args[++i];
    }

    private static void Apply(RustcArgs parsed, string name, string? value)
    {
        if (parsed.ParseError is not null)
        {
            return;
        }
        parsed.Options.Add(new RustcOption(name, value));
        var v = value ?? "";
        switch (name)
        {
            case "--crate-name":
                parsed.CrateName = v;
                break;
            case "--crate-type":
                parsed.CrateTypes.AddRange(v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                break;
            case "--emit":
                foreach (var part in v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var eq = part.IndexOf('=');
                    parsed.Emits.Add(eq < 0 ? new EmitRequest(part, null) : new EmitRequest(part[..eq], part[(eq + 1)..]));
                }
                break;
            case "--out-dir":
                parsed.OutDir = v;
                break;
            case "-o":
                parsed.OutputFile = v;
                break;
            case "--target":
                parsed.Target = v;
                break;
            case "--sysroot":
                parsed.Sysroot = v;
                break;
            case "--error-format":
                parsed.ErrorFormat = v;
                break;
            case "--extern":
                parsed.Externs.Add(ExternCrate.Parse(v));
                break;
            case "-L":
                parsed.SearchPaths.Add(LibrarySearchPath.Parse(v));
                break;
            case "-l":
                parsed.NativeLibraries.Add(NativeLibrary.Parse(v));
                break;
            case "-C":
                var ceq = v.IndexOf('=');
                parsed.Codegen.Add(ceq < 0
                    ? new(v.Replace('_', '-'), null)
                    : new(v[..ceq].Replace('_', '-'), v[(ceq + 1)..]));
                break;
            case "--print":
                parsed.Prints.Add(v);
                break;
            case "--test":
                parsed.Test = true;
                break;
            case "-V":
                parsed.AsksVersion = true;
                break;
            case "-h":
                parsed.AsksHelp = true;
                break;
            case "--explain":
                parsed.AsksExplain = true;
                break;
            case "--pretty" or "--unpretty":
                parsed.AsksPrettyPrint = true;
                break;
            case "-Z" when v.StartsWith("unpretty", StringComparison.Ordinal):
                parsed.AsksPrettyPrint = true;
                break;
        }
    }
}
