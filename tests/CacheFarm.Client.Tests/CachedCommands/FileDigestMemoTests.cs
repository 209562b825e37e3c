using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Tests.CachedCommands;

/// <summary>
/// Absent paths on the real filesystem: which directory vouches for an absence, that its stamp changes when the
/// path is made, and that no absence seen before the tool ran is trusted after it.
/// </summary>
public sealed class FileDigestMemoTests
{
    // Directories vouch for absences only once their stamps are out of the racy window.
    private static async Task<string> SettledTreeAsync(TempDirectory dir)
    {
        var include = dir.Combine("include");
        Directory.CreateDirectory(include);
        await Task.Delay(TimeSpan.FromTicks(FileStamp.RacyWindowNs / 100) + TimeSpan.FromMilliseconds(200));
        return include;
    }

    private static FileDigestMemo NewMemo(TempDirectory dir) => new(dir.Combine("memo"), new FileStamps());

    [Fact]
    public async Task A_path_under_a_missing_directory_is_vouched_for_by_the_nearest_existing_one()
    {
        using var dir = new TempDirectory("cf-absent");
        var include = await SettledTreeAsync(dir);
        var memo = NewMemo(dir);
        var path = Path.Combine(include, "bits", "types", "x.h");

        Assert.True(memo.IsAbsent(path));
        Assert.Equal(include, memo.Absent[path].Directory);
        Assert.True(FileStamp.TryRead(include, out var now) && now.SameVersion(memo.Absent[path].Stamp));

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        Assert.True(FileStamp.TryRead(include, out var after));
        Assert.False(after.SameVersion(memo.Absent[path].Stamp), "making the path left the witness's stamp as it was");
        Assert.False(NewMemo(dir).IsAbsent(path));
    }

    [Fact]
    public async Task A_bundle_keeps_absences_under_missing_directories_until_the_witness_changes()
    {
        using var dir = new TempDirectory("cf-absent");
        var include = await SettledTreeAsync(dir);
        var first = NewMemo(dir);
        var nested = Path.Combine(include, "bits", "x.h");
        var plain = Path.Combine(include, "y.h");
        Assert.True(first.IsAbsent(nested));
        Assert.True(first.IsAbsent(plain));
        DigestBundle.SaveIfNew(first, "key");

        var second = NewMemo(dir);
        DigestBundle.LoadInto(second, "key");
        Assert.True(second.IsAbsent(nested));
        Assert.False(second.HasUnseeded, "the bundle's absences were looked up again");

        Directory.CreateDirectory(Path.GetDirectoryName(nested)!);
        File.WriteAllText(nested, "");
        var third = NewMemo(dir);
        DigestBundle.LoadInto(third, "key");
        Assert.False(third.IsAbsent(nested));
        Assert.True(third.IsAbsent(plain));
    }

    [Theory]
    [InlineData("gen/x.h")]
    [InlineData("x.h")]
    public async Task A_dangling_symlink_on_the_way_vouches_for_no_absence(string below)
    {
        using var dir = new TempDirectory("cf-absent");
        var include = await SettledTreeAsync(dir);
        var link = Path.Combine(include, below.Split('/')[0]);
        var target = dir.Combine("out", below.Split('/')[0]);
        File.CreateSymbolicLink(link, target);
        await Task.Delay(TimeSpan.FromTicks(FileStamp.RacyWindowNs / 100) + TimeSpan.FromMilliseconds(200));
        var path = Path.Combine(include, below);
        var memo = NewMemo(dir);

        Assert.True(memo.IsAbsent(path));
        Assert.False(memo.Absent.ContainsKey(path), "a dangling symlink's directory vouched for the path behind it");

        // The target appears without the include directory changing.
        Directory.CreateDirectory(Path.GetDirectoryName(dir.Combine("out", below))!);
        File.WriteAllText(dir.Combine("out", below), "");
        Assert.False(NewMemo(dir).IsAbsent(path));
    }

    [Fact]
    public async Task A_seeded_absence_is_looked_up_again_once_the_tool_has_run()
    {
        using var dir = new TempDirectory("cf-absent");
        var include = await SettledTreeAsync(dir);
        var path = Path.Combine(include, "made.h");
        var seen = NewMemo(dir);
        Assert.True(seen.IsAbsent(path));
        var witness = seen.Absent[path];

        var memo = NewMemo(dir);
        memo.SeedAbsent(path, witness);
        // The lookup before the run reads the directory's stamp, which the call keeps.
        Assert.True(memo.IsAbsent(Path.Combine(include, "other.h")));
        // The tool makes the path while it runs.
        File.WriteAllText(path, "");
        memo.ToolRan();
        Assert.False(memo.IsAbsent(path));
    }

    [Fact]
    public async Task A_digest_taken_before_the_tool_ran_is_taken_again_after_it()
    {
        using var dir = new TempDirectory("cf-absent");
        var include = await SettledTreeAsync(dir);
        var header = Path.Combine(include, "a.h");
        File.WriteAllText(header, "one\n");
        var memo = NewMemo(dir);
        Assert.True(memo.TryGet(header, out var before));

        File.WriteAllText(header, "two\n");
        memo.ToolRan();
        Assert.True(memo.TryGet(header, out var after));
        Assert.NotEqual(before, after);
        Assert.Equal(ContentDigest.Of("two\n"u8), after);
    }
}
