using System.Text.Json;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Cargo;

/// <summary>The workspace around a directory, as <c>cargo metadata</c> describes it.</summary>
public sealed record CargoWorkspace(string Root, string TargetDirectory, IReadOnlyList<string> MemberIds, string? FirstMemberSource)
{
    public string Manifest => Path.Combine(Root, "Cargo.toml");

    /// <summary>Reads the workspace that <paramref name="directory"/> is in.</summary>
    /// <exception cref="CargoMetadataException">cargo cannot describe it (no Cargo.toml, a broken manifest).</exception>
    public static async Task<CargoWorkspace> ReadAsync(string cargo, string directory, CancellationToken cancellationToken)
    {
        var run = await CapturedProcess.RunAsync(cargo, ["metadata", "--format-version", "1", "--no-deps"], directory, cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw new CargoMetadataException("cargo metadata failed: " + run.Stderr.Trim());
        }
        try
        {
            return Parse(run.Stdout);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CargoMetadataException("cargo metadata printed what cannot be read: " + e.Message);
        }
    }

    /// <summary>The workspace in <c>cargo metadata --format-version 1</c> output.</summary>
    public static CargoWorkspace Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var members = root.GetProperty("workspace_members").EnumerateArray().Select(m => m.GetString() ?? "").ToList();
        var packages = root.GetProperty("packages").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString() ?? "", p => p);
        string? source = null;
        if (members.Count > 0 && packages.TryGetValue(members[0], out var first))
        {
            // The library if the member has one, else its first binary: the file an edit most often lands in.
            var targets = first.GetProperty("targets").EnumerateArray().ToList();
            source = targets.Where(t => HasKind(t, "lib")).Concat(targets.Where(t => HasKind(t, "bin")))
                .Select(t => t.GetProperty("src_path").GetString()).FirstOrDefault();
        }
        return new CargoWorkspace(
            root.GetProperty("workspace_root").GetString() ?? "",
            root.GetProperty("target_directory").GetString() ?? "",
            members,
            source);
    }

    private static bool HasKind(JsonElement target, string kind) =>
        target.GetProperty("kind").EnumerateArray().Any(k => k.GetString() is { } name && (name == kind || (kind == "lib" && name is "rlib" or "dylib" or "cdylib" or "staticlib" or "proc-macro")));
}

/// <summary>cargo could not describe the workspace.</summary>
public sealed class CargoMetadataException(string message) : Exception(message);
