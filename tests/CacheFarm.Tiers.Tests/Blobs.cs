using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Tiers.Tests;

/// <summary>Blob and entry calls on a daemon, with misses as null rather than exceptions.</summary>
internal static class Blobs
{
    public static async Task<ContentDigest> WriteAsync(DaemonProcess daemon, byte[] data)
    {
        await RawBlobCalls.WriteAsync(daemon.Invoker, "", data);
        return ContentDigest.Of(data);
    }

    public static async Task<byte[]?> ReadAsync(DaemonProcess daemon, ContentDigest digest)
    {
        try
        {
            return await RawBlobCalls.ReadAsync(daemon.Invoker, "", digest.ToProto());
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public static string Key(int n) => ContentDigest.Of(BitConverter.GetBytes(n)).Hex;

    /// <summary>Uploads an output blob and stores an entry naming it.</summary>
    public static async Task<Entry> PutEntryAsync(DaemonProcess daemon, string key, byte[] output)
    {
        var digest = await WriteAsync(daemon, output);
        var entry = new Entry { ExitCode = 0, Stdout = Google.Protobuf.ByteString.CopyFromUtf8("built " + key) };
        entry.Outputs.Add(new OutputFile { Path = "deps/lib.rlib", Digest = digest.ToProto() });
        using var client = daemon.Client();
        await client.PutEntryAsync(key, entry, default);
        return entry;
    }

    public static async Task<Entry?> GetEntryAsync(DaemonProcess daemon, string key)
    {
        using var client = daemon.Client();
        return await client.GetEntryAsync(key, default);
    }
}
