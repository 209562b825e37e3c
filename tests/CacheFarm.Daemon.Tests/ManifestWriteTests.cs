using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;

namespace CacheFarm.Daemon.Tests;

/// <summary>Builds that miss one first-level key at once each store their own candidate; none is lost.</summary>
public sealed class ManifestWriteTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private static ManifestCandidate Candidate(int n) =>
        new([new ManifestInput("build.rs", ContentDigest.Of(BitConverter.GetBytes(n)))], [new("PROFILE", "debug")], PathDependent: false);

    private static Entry ManifestEntry(params ManifestCandidate[] candidates) => new()
    {
        Stdout = ByteString.CopyFrom(new InputManifest(candidates).Serialize()),
        Metadata = new EntryMetadata { Tool = InputManifest.Tool },
    };

    [Fact]
    public async Task Manifests_written_at_once_to_one_key_keep_every_candidate()
    {
        using var client = fixture.Daemon.Client("manifests");
        var key = ContentDigest.Of("first-level key"u8).Hex;

        // Each writer read an empty manifest and adds only its own candidate, as racing misses do.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(n => client.PutEntryAsync(key, ManifestEntry(Candidate(n)), default)));

        var stored = InputManifest.Parse((await client.GetEntryAsync(key, default))!.Stdout.Span);
        Assert.Equal(6, stored.Candidates.Count);
        Assert.All(Enumerable.Range(0, 6), n => Assert.Contains(stored.Candidates, c => c.SameInputs(Candidate(n))));
    }

    [Fact]
    public async Task A_manifest_write_puts_its_candidates_first_and_keeps_the_bound()
    {
        using var client = fixture.Daemon.Client("manifests");
        var key = ContentDigest.Of("bounded key"u8).Hex;
        for (var n = 0; n < InputManifest.MaxCandidates; n++)
        {
            await client.PutEntryAsync(key, ManifestEntry(Candidate(n)), default);
        }

        await client.PutEntryAsync(key, ManifestEntry(Candidate(100)), default);

        var stored = InputManifest.Parse((await client.GetEntryAsync(key, default))!.Stdout.Span);
        Assert.Equal(InputManifest.MaxCandidates, stored.Candidates.Count);
        Assert.True(stored.Candidates[0].SameInputs(Candidate(100)));
    }

    [Fact]
    public async Task An_ordinary_entry_replaces_the_stored_one()
    {
        using var client = fixture.Daemon.Client("manifests");
        var key = ContentDigest.Of("compile key"u8).Hex;
        await client.PutEntryAsync(key, new Entry { Stdout = ByteString.CopyFromUtf8("first") }, default);

        await client.PutEntryAsync(key, new Entry { Stdout = ByteString.CopyFromUtf8("second") }, default);

        Assert.Equal("second", (await client.GetEntryAsync(key, default))!.Stdout.ToStringUtf8());
    }
}
