using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Reports.Recording;

/// <summary>The dep-info that a crate's previous compile left in the output directory, read before this call's compile or restore replaces it.</summary>
public sealed record PreviousDepInfo(FileStamp Stamp, byte[] Content)
{
    /// <summary>Null when there is none: the crate is new to this target directory. The call has one input and an output directory.</summary>
    public static PreviousDepInfo? Read(RustcArgs args, string workingDirectory)
    {
        var path = Path.Combine(CheckoutRoots.Absolute(args.OutDir!, workingDirectory), args.OutputStem + ".d");
        try
        {
            return FileStamp.TryRead(path, out var stamp) ? new PreviousDepInfo(stamp, File.ReadAllBytes(path)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
