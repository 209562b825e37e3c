using CacheFarm.Client.Connection;
using CacheFarm.Protos.V1;
using CacheFarm.TestSupport;

namespace CacheFarm.Security.Tests;

public sealed class EntrySignatureTests
{
    [Fact]
    public async Task ClientsHoldingTheKeyIgnoreEntriesThatAreUnsignedOrSignedWithAnotherKey()
    {
        using var dir = new TempDirectory("cfsig");
        await using var daemon = await DaemonProcess.StartAsync(dir.Path);
        var ciKey = new ClientCredentials { EntryKey = "ci-entry-key"u8.ToArray() };
        var otherKey = new ClientCredentials { EntryKey = "someone-else"u8.ToArray() };
        var entry = new Entry { ExitCode = 0, Stdout = Google.Protobuf.ByteString.CopyFromUtf8("compiled") };
        var signedKey = new string('1', 64);
        var unsignedKey = new string('2', 64);

        using (var ci = daemon.Client("signed", ciKey))
        {
            await ci.PutEntryAsync(signedKey, entry.Clone(), default);
        }
        using (var attacker = daemon.Client("signed"))
        {
            await attacker.PutEntryAsync(unsignedKey, entry.Clone(), default);
        }
        using (var developer = daemon.Client("signed", ciKey))
        {
            Assert.Equal("compiled", (await developer.GetEntryAsync(signedKey, default))!.Stdout.ToStringUtf8());
            Assert.Null(await developer.GetEntryAsync(unsignedKey, default));
            Assert.Equal(1, developer.UntrustedEntries);
        }
        using (var forger = daemon.Client("signed", otherKey))
        {
            Assert.Null(await forger.GetEntryAsync(signedKey, default));
            Assert.Equal(1, forger.UntrustedEntries);
        }
    }

    [Fact]
    public async Task A_compile_handed_over_to_a_local_daemon_is_signed_like_any_entry()
    {
        using var dir = new TempDirectory("cfsig-local");
        var socket = dir.Combine("d.sock");
        await using var daemon = await DaemonProcess.StartAsync(dir.Combine("data"), "--socket", socket);
        var endpoint = DaemonEndpoint.Parse("unix:" + socket);
        var ciKey = new ClientCredentials { EntryKey = "ci-entry-key"u8.ToArray() };
        var output = dir.Combine("libx.rlib");
        var data = BlobData.Random(300_000, seed: 41);
        await File.WriteAllBytesAsync(output, data);
        var digest = CacheFarm.Protos.Wire.ContentDigest.Of(data).ToProto();
        var entry = new Entry { Stdout = Google.Protobuf.ByteString.CopyFromUtf8("compiled") };
        entry.Outputs.Add(new OutputFile { Path = "libx.rlib", Digest = digest });
        var key = new string('3', 64);
        var request = new StoreCompileRequest();
        request.Files.Add(new FileBlobRequest { Digest = digest, Path = output });
        request.Entries.Add(new PutEntryRequest { Key = key, Entry = entry });

        using (var ci = new CacheClient(endpoint, "signed", null, ciKey))
        {
            Assert.True(ci.TryHandOver(request, default), "a local daemon should take the compile");
        }

        using (var developer = new CacheClient(endpoint, "signed", null, ciKey))
        {
            Assert.Equal("compiled", (await developer.GetEntryAsync(key, default))!.Stdout.ToStringUtf8());
            Assert.Equal(0, developer.UntrustedEntries);
        }
        using (var forger = new CacheClient(endpoint, "signed", null, new ClientCredentials { EntryKey = "someone-else"u8.ToArray() }))
        {
            Assert.Null(await forger.GetEntryAsync(key, default));
            Assert.Equal(1, forger.UntrustedEntries);
        }
    }
}
