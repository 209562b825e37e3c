using CacheFarm.Client.Connection;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Admin;

/// <summary><c>cachefarm blob put|get|has</c>: direct access to the content-addressed store.</summary>
public static class BlobCommands
{
    public static async Task<int> RunAsync(CacheClient client, string[] args, CancellationToken cancellationToken)
    {
        return args switch
        {
            ["put", .. var files] when files.Length > 0 => await PutAsync(client, files, cancellationToken).ConfigureAwait(false),
            ["get", var digest, "-o", var output] => await GetAsync(client, digest, output, cancellationToken).ConfigureAwait(false),
            ["has", .. var digests] when digests.Length > 0 => await HasAsync(client, digests, cancellationToken).ConfigureAwait(false),
            _ => AdminCommands.Fail("usage: cachefarm blob put FILE… | get HASH/SIZE -o FILE | has HASH/SIZE…"),
        };
    }

    private static async Task<int> PutAsync(CacheClient client, string[] files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                return AdminCommands.Fail($"{file}: no such file");
            }
            var digest = await client.UploadFileAsync(file, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{digest.Hex}/{digest.Size}  {file}");
        }
        return 0;
    }

    private static async Task<int> GetAsync(CacheClient client, string text, string output, CancellationToken cancellationToken)
    {
        if (!AdminCommands.TryParseDigest(text, out var digest))
        {
            return AdminCommands.Fail($"'{text}' is not a digest: expected HASH/SIZE as printed by 'cachefarm blob put'");
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(output)}.cachefarm-{Environment.ProcessId}.tmp");
        try
        {
            bool found;
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                found = await client.DownloadAsync(digest, file, cancellationToken).ConfigureAwait(false);
            }
            if (!found)
            {
                return AdminCommands.Fail($"blob {text} not found") == 0 ? 0 : 1;
            }
            File.Move(temp, output, overwrite: true);
            return 0;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static async Task<int> HasAsync(CacheClient client, string[] texts, CancellationToken cancellationToken)
    {
        var digests = new List<ContentDigest>();
        foreach (var text in texts)
        {
            if (!AdminCommands.TryParseDigest(text, out var digest))
            {
                return AdminCommands.Fail($"'{text}' is not a digest: expected HASH/SIZE");
            }
            digests.Add(digest);
        }
        var missing = (await client.FindMissingAsync(digests.Select(d => d.ToProto()), cancellationToken).ConfigureAwait(false))
            .Select(d => $"{d.Hash}/{d.SizeBytes}")
            .ToHashSet(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            Console.WriteLine($"{(missing.Contains(text) ? "missing" : "present")}  {text}");
        }
        return missing.Count == 0 ? 0 : 1;
    }
}
