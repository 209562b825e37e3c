using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Tests.CachedCommands;

public sealed class InputManifestTests
{
    private static ManifestCandidate Candidate(string content, bool pathDependent = false) => new(
        [new ManifestInput("src/lib.rs", ContentDigest.Of("fn a() {}"u8)), new ManifestInput("\u0001target\u0001/debug/build/x/out/g.rs", ContentDigest.Of(System.Text.Encoding.UTF8.GetBytes(content)))],
        [new("FLAVOR", "vanilla"), new("UNSET", null)],
        pathDependent);

    [Fact]
    public void Survives_a_round_trip_through_its_stored_form()
    {
        var manifest = new InputManifest([]).With(Candidate("one")).With(Candidate("two", pathDependent: true));

        var parsed = InputManifest.Parse(manifest.Serialize());

        Assert.Equal(2, parsed.Candidates.Count);
        Assert.True(parsed.Candidates[0].SameInputs(Candidate("two", pathDependent: true)));
        Assert.True(parsed.Candidates[1].SameInputs(Candidate("one")));
    }

    [Fact]
    public void Puts_the_newest_candidate_first_without_duplicates()
    {
        var manifest = new InputManifest([]).With(Candidate("one")).With(Candidate("two")).With(Candidate("one"));

        Assert.Equal(2, manifest.Candidates.Count);
        Assert.True(manifest.Candidates[0].SameInputs(Candidate("one")));
    }

    [Fact]
    public void Keeps_a_bounded_number_of_candidates()
    {
        var manifest = new InputManifest([]);
        for (var i = 0; i < 20; i++)
        {
            manifest = manifest.With(Candidate(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.Equal(InputManifest.MaxCandidates, manifest.Candidates.Count);
        Assert.True(manifest.Candidates[0].SameInputs(Candidate("19")));
    }

    [Fact]
    public void Reads_garbage_as_an_empty_manifest()
    {
        Assert.Empty(InputManifest.Parse("not a manifest"u8).Candidates);
        Assert.Empty(InputManifest.Parse([.. "CFM1"u8, 5, 0, 0]).Candidates);
    }
}
