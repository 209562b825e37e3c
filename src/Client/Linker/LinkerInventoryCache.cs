using System.Text.Json;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Linker;

/// <summary>
/// linkers.json in the client's data directory: detection runs once per host and again only when PATH, a PATH
/// directory or a linker binary changes (or a toolchain not seen before links), so a rustc call pays a few stats.
/// </summary>
public static class LinkerInventoryCache
{
    public const string FileName = "linkers.json";

    private const int ToolchainsKept = 4;

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>The remembered inventory when still current, otherwise a fresh detection (saved for the next call).</summary>
    public static async Task<LinkerInventory> LoadAsync(string dataDirectory, string pathVariable, string workingDirectory, ToolchainIdentity? toolchain, bool forceDetection, CancellationToken cancellationToken)
    {
        var path = PathIn(dataDirectory);
        var inventory = forceDetection ? null : Read(path);
        var changed = false;
        if (inventory is null || !inventory.IsCurrent(pathVariable))
        {
            inventory = await LinkerDetector.DetectAsync(pathVariable, workingDirectory, cancellationToken).ConfigureAwait(false);
            changed = true;
        }
        var known = toolchain is null ? null : inventory.Toolchain(toolchain.Sysroot);
        if (toolchain is not null && (known is null || known.RustLld is { } lld && !lld.IsCurrent()))
        {
            var described = await LinkerDetector.DescribeToolchainAsync(toolchain, pathVariable, cancellationToken).ConfigureAwait(false);
            inventory = inventory with { Toolchains = [.. inventory.Toolchains.Where(t => t.Sysroot != described.Sysroot).TakeLast(ToolchainsKept - 1), described] };
            changed = true;
        }
        if (changed)
        {
            MemoFile.TryWrite(path, JsonSerializer.SerializeToUtf8Bytes(inventory, LinkerJsonContext.Default.LinkerInventory));
        }
        return inventory;
    }

    public static LinkerInventory? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), LinkerJsonContext.Default.LinkerInventory) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
