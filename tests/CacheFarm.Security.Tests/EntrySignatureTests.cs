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
}
