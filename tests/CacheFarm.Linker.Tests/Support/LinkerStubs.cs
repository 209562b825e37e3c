namespace CacheFarm.Linker.Tests.Support;

/// <summary>
/// A directory of shell-script linkers to put first on PATH: each logs how it was called, answers <c>--version</c> with
/// a version of its own, and otherwise (after an optional sleep) execs the real linker, so links still work.
/// </summary>
public sealed class LinkerStubs
{
    public LinkerStubs(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    /// <summary>Beside the directory, not in it: a file appearing in a PATH directory means a new program to detection.</summary>
    public string LogFile => Directory.TrimEnd('/') + ".calls.log";

    public string PathVariable => Directory + ":" + RustToolchain.SearchPath;

    public string Add(string name, string version, string realLinker, double sleepSeconds = 0)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, $"""
            #!/bin/sh
            echo "{name} $*" >> '{LogFile}'
            for arg in "$@"; do
              if [ "$arg" = "--version" ] || [ "$arg" = "-v" ]; then echo '{version}'; exit 0; fi
            done
            sleep {sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}
            exec '{realLinker}' "$@"

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    public string[] Calls => File.Exists(LogFile) ? File.ReadAllLines(LogFile) : [];
}
