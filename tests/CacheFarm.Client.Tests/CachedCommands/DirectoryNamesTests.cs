using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Tests.CachedCommands;

/// <summary>Absences answered from one directory listing agree with what a stat of each path says.</summary>
public sealed class DirectoryNamesTests
{
    [Fact]
    public void A_listing_answers_from_the_second_question_and_agrees_with_stat()
    {
        using var dir = new TempDirectory("cf-names");
        File.WriteAllText(dir.Combine("present.h"), "");
        File.WriteAllText(dir.Combine(".hidden.h"), "");
        Directory.CreateDirectory(dir.Combine("sub"));
        var names = new DirectoryNames(new FileStamps());

        Assert.Null(names.Lookup(dir.Path, "absent.h"));
        foreach (var name in new[] { "absent.h", "present.h", ".hidden.h", "sub" })
        {
            var answer = names.Lookup(dir.Path, name);
            Assert.NotNull(answer);
            Assert.Equal(!File.Exists(dir.Combine(name)) && !Directory.Exists(dir.Combine(name)), answer.Value.Lacks);
        }
        // The directory itself (a path with a trailing slash) is left to a stat.
        Assert.Null(names.Lookup(dir.Path, ""));
        // A directory that does not exist holds nothing.
        var missing = dir.Combine("missing");
        names.Lookup(missing, "x.h");
        Assert.True(names.Lookup(missing, "x.h")!.Value.Lacks);
    }
}
