using System.Text;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Tests.CachedCommands;

public sealed class BytePatternSearchTests
{
    private static readonly byte[][] Roots = [Encoding.UTF8.GetBytes("/home/dev/checkout"), Encoding.UTF8.GetBytes("/tmp/x")];

    private static bool SearchInChunks(string text, params int[] cuts)
    {
        var data = Encoding.UTF8.GetBytes(text);
        var search = new BytePatternSearch(Roots);
        var start = 0;
        foreach (var cut in cuts.Append(data.Length))
        {
            search.Append(data.AsSpan(start, cut - start));
            start = cut;
        }
        return search.Found;
    }

    [Fact]
    public void Finds_a_pattern_inside_one_chunk() => Assert.True(SearchInChunks("abc /tmp/x def", 2));

    [Fact]
    public void Finds_a_pattern_split_across_two_chunks() => Assert.True(SearchInChunks("....../home/dev/checkout/src", 12));

    [Fact]
    public void Finds_a_pattern_split_across_chunks_shorter_than_the_pattern() => Assert.True(SearchInChunks("../home/dev/checkout", 4, 7, 9, 12, 15));

    [Fact]
    public void Finds_nothing_when_only_a_prefix_of_a_pattern_occurs() => Assert.False(SearchInChunks("/home/dev/check /tmp/", 8, 16));

    [Fact]
    public void Finds_nothing_without_patterns()
    {
        var search = new BytePatternSearch([]);
        search.Append("/home/dev/checkout"u8);
        Assert.False(search.Found);
    }

    [Fact]
    public void Covering_patterns_drop_every_path_that_extends_another_and_keep_unrelated_ones()
    {
        var patterns = BytePatternSearch.Covering(["/w/ws/target/debug/build/x/out", "/home/u/.cargo/registry/src", "/w/ws", "/w/ws/target", "/home/u/.cargo", "/w/ws2"]);

        Assert.Equal(["/w/ws", "/home/u/.cargo"], patterns.Select(p => Encoding.UTF8.GetString(p)));
    }
}
