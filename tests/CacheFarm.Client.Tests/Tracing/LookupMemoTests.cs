using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Tracing;
using CacheFarm.Protos.Manifests;

namespace CacheFarm.Client.Tests.Tracing;

/// <summary>
/// The lookup memo on real files in two checkouts with the same contents: a candidate remembered in one matches
/// in the other, and any input that differs there (a changed header, a header made where none was) does not.
/// </summary>
public sealed class LookupMemoTests
{
    private const string Key = "first-level";
    private const string Entry = "entry";

    private sealed class Checkouts : IDisposable
    {
        private readonly TempDirectory _dir = new("cf-lookup-memo");

        public string A => _dir.Combine("a");

        public string B => _dir.Combine("b");

        public string Memo => _dir.Combine("memo");

        public static async Task<Checkouts> CreateAsync()
        {
            var checkouts = new Checkouts();
            foreach (var root in new[] { checkouts.A, checkouts.B })
            {
                Directory.CreateDirectory(Path.Combine(root, "include"));
                File.WriteAllText(Path.Combine(root, "include", "a.h"), "#define A 1\n");
            }
            // Stamps vouch for digests and absences only once they are out of the racy window.
            await Task.Delay(TimeSpan.FromTicks(FileStamp.RacyWindowNs / 100) + TimeSpan.FromMilliseconds(200));
            return checkouts;
        }

        public static CheckoutRoots Roots(string checkout) => new(checkout, [new PathRoot("ws", checkout)]);

        public FileDigestMemo Digests() => new(Memo, new FileStamps());

        // A compile's candidate as the trace gives it: the header read, and two headers looked for and not found.
        public ManifestCandidate Candidate(bool pathDependent = false)
        {
            var roots = Roots(A);
            var digests = Digests();
            var inputs = new[] { ("R", "include/a.h"), ("S", "include/bits/x.h"), ("S", "include/y.h") }
                .Select(i => new ManifestInput(i.Item1 + roots.Normalize(Path.Combine(A, i.Item2)), PathObservation.Observe(i.Item1[0], Path.Combine(A, i.Item2), digests)))
                .ToList();
            return new ManifestCandidate(inputs, [], pathDependent);
        }

        // Saves as a lookup does after a hit: the match first, then the memo from what the match saw.
        public void Remember(ManifestCandidate candidate)
        {
            var digests = Digests();
            Assert.Null(new TracedInputs(Roots(A), digests, [], []).Mismatch(candidate, _ => null));
            LookupMemo.Save(digests, Key, Entry, candidate, Roots(A));
        }

        public string? Match(string checkout, Func<string, string?>? variable = null) => LookupMemo.TryMatch(Digests(), Key, Roots(checkout), variable ?? (_ => null));

        public string MemoPath => MemoFile.PathFor(Path.Combine(Memo, "lookups"), Key);

        public string Combine(params string[] parts) => _dir.Combine(parts);

        public void Dispose() => _dir.Dispose();
    }

    [Fact]
    public async Task A_candidate_remembered_in_one_checkout_matches_in_a_fresh_one_with_the_same_contents()
    {
        using var checkouts = await Checkouts.CreateAsync();
        checkouts.Remember(checkouts.Candidate());

        Assert.Equal(Entry, checkouts.Match(checkouts.A));
        Assert.Equal(Entry, checkouts.Match(checkouts.B));
    }

    [Fact]
    public async Task A_header_changed_in_the_other_checkout_is_no_match()
    {
        using var checkouts = await Checkouts.CreateAsync();
        checkouts.Remember(checkouts.Candidate());

        File.WriteAllText(Path.Combine(checkouts.B, "include", "a.h"), "#define A 2\n");
        Assert.Null(checkouts.Match(checkouts.B));
        Assert.Equal(Entry, checkouts.Match(checkouts.A));
    }

    [Theory]
    [InlineData("include/y.h")]
    [InlineData("include/bits/x.h")]
    public async Task A_header_made_where_the_candidate_found_none_is_no_match(string made)
    {
        using var checkouts = await Checkouts.CreateAsync();
        checkouts.Remember(checkouts.Candidate());

        foreach (var checkout in new[] { checkouts.A, checkouts.B })
        {
            var path = Path.Combine(checkout, made);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "");
            Assert.Null(checkouts.Match(checkout));
        }
    }

    [Fact]
    public async Task An_entry_whose_outputs_embed_the_checkout_matches_in_that_checkout_only()
    {
        using var checkouts = await Checkouts.CreateAsync();
        checkouts.Remember(checkouts.Candidate(pathDependent: true));

        Assert.Equal(Entry, checkouts.Match(checkouts.A));
        Assert.Null(checkouts.Match(checkouts.B));
    }

    [Fact]
    public async Task An_absence_is_not_vouched_for_by_a_directory_under_another_root()
    {
        using var checkouts = await Checkouts.CreateAsync();
        // A second root (generated headers) that this checkout lacks, and the other checkout has with the header.
        CheckoutRoots Roots(string checkout) => new(checkout, [new PathRoot("ws", checkout), new PathRoot("gen", checkout + "-gen")]);
        var absent = Path.Combine(checkouts.A + "-gen", "include", "x.h");
        var digests = checkouts.Digests();
        var candidate = new ManifestCandidate([new ManifestInput("S" + Roots(checkouts.A).Normalize(absent), PathObservation.Observe('S', absent, digests))], [], false);
        Assert.Null(new TracedInputs(Roots(checkouts.A), digests, [], []).Mismatch(candidate, _ => null));
        LookupMemo.Save(digests, Key, Entry, candidate, Roots(checkouts.A));
        Assert.Equal(Entry, LookupMemo.TryMatch(checkouts.Digests(), Key, Roots(checkouts.A), _ => null));

        Directory.CreateDirectory(Path.Combine(checkouts.B + "-gen", "include"));
        File.WriteAllText(Path.Combine(checkouts.B + "-gen", "include", "x.h"), "");
        Assert.Null(LookupMemo.TryMatch(checkouts.Digests(), Key, Roots(checkouts.B), _ => null));
    }

    [Fact]
    public async Task A_variable_keeps_a_carriage_return_at_its_end()
    {
        using var checkouts = await Checkouts.CreateAsync();
        var candidate = checkouts.Candidate() with { EnvDeps = [new("CFLAGS", "-O2\r")] };
        var digests = checkouts.Digests();
        Assert.Null(new TracedInputs(Checkouts.Roots(checkouts.A), digests, [], []).Mismatch(candidate, _ => "-O2\r"));
        LookupMemo.Save(digests, Key, Entry, candidate, Checkouts.Roots(checkouts.A));

        Assert.Equal(Entry, checkouts.Match(checkouts.A, _ => "-O2\r"));
        Assert.Null(checkouts.Match(checkouts.A, _ => "-O2"));
    }

    [Fact]
    public async Task A_memo_cut_short_is_not_read()
    {
        using var checkouts = await Checkouts.CreateAsync();
        checkouts.Remember(checkouts.Candidate());
        var text = File.ReadAllText(checkouts.MemoPath);

        File.WriteAllText(checkouts.MemoPath, text[..text.TrimEnd('\n').LastIndexOf('\n')] + "\n");
        Assert.Null(checkouts.Match(checkouts.A));
    }
}
