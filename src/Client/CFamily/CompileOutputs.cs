using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// The files a C or C++ compile may write, and the names they have in an entry. The object and the depfile
/// <c>-MF</c> names are stored by role; files beside the object that share its stem (the depfile of a bare
/// <c>-MD</c>, split DWARF <c>.dwo</c>, coverage <c>.gcno</c>, stack usage <c>.su</c>) by their name in the
/// object's directory; files in the working directory that share the source's stem (<c>-save-temps</c>) by their
/// name there. A hit writes only where this command line would write, so an entry can never place a file
/// anywhere else.
/// </summary>
public sealed class CompileOutputs(CompilerArgs args, string workingDirectory)
{
    private const string ObjectName = "object";
    private const string DepFileName = "depfile";
    private const string BesideObject = "object-dir/";
    private const string InWorkingDirectory = "cwd/";

    private readonly string _workingDirectory = CheckoutRoots.Absolute(workingDirectory, workingDirectory);

    public string ObjectPath => CheckoutRoots.Absolute(args.ObjectPath, _workingDirectory);

    public string? DepFile => args.DepFile is { } depFile ? CheckoutRoots.Absolute(depFile, _workingDirectory) : null;

    private string ObjectDirectory => Path.GetDirectoryName(ObjectPath) ?? "/";

    private string ObjectStem => Path.GetFileNameWithoutExtension(ObjectPath) + ".";

    private string SourceStem => Path.GetFileNameWithoutExtension(args.Source) + ".";

    /// <summary>The name a written file is stored under, or null when the compile has no business writing it.</summary>
    public string? StoredName(string path)
    {
        if (path == ObjectPath)
        {
            return ObjectName;
        }
        if (path == DepFile)
        {
            return DepFileName;
        }
        var name = Path.GetFileName(path);
        if (Path.GetDirectoryName(path) == ObjectDirectory && name.StartsWith(ObjectStem, StringComparison.Ordinal))
        {
            return BesideObject + name;
        }
        return Path.GetDirectoryName(path) == _workingDirectory && name.StartsWith(SourceStem, StringComparison.Ordinal) ? InWorkingDirectory + name : null;
    }

    /// <summary>Where a stored output goes in this compile, or null when its name does not fit this command line.</summary>
    public string? Target(string storedName)
    {
        var target = storedName switch
        {
            ObjectName => ObjectPath,
            DepFileName => DepFile,
            _ when storedName.StartsWith(BesideObject, StringComparison.Ordinal) => Path.Combine(ObjectDirectory, storedName[BesideObject.Length..]),
            _ when storedName.StartsWith(InWorkingDirectory, StringComparison.Ordinal) => Path.Combine(_workingDirectory, storedName[InWorkingDirectory.Length..]),
            _ => null,
        };
        // The same rule that admitted the file when it was stored: a name with a slash or another stem is refused.
        return target is not null && StoredName(target) == storedName ? target : null;
    }
}
