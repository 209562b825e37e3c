using CacheFarm.Client.Processes;

namespace CacheFarm.Client.Tests.Processes;

public sealed class ProcessStatTests
{
    [Fact]
    public void A_command_name_with_spaces_and_parentheses_does_not_shift_the_fields()
    {
        var line = "4242 (a) b (c) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100 18446744073709551615\n"u8;

        Assert.True(ProcessStat.TryParse(line, out var stat));

        Assert.Equal(new ProcessStat("a) b (c", 17, 987654), stat);
    }

    [Fact]
    public void A_truncated_line_is_refused()
    {
        Assert.False(ProcessStat.TryParse("4242 (cargo) S 17 4242"u8, out _));
        Assert.False(ProcessStat.TryParse("4242 cargo S 17"u8, out _));
    }

    [Fact]
    public void This_process_reads_as_itself_in_proc()
    {
        var text = File.ReadAllText($"/proc/{Environment.ProcessId}/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');

        Assert.True(ProcessStat.TryRead(Environment.ProcessId, out var stat));

        Assert.Equal(text[(text.IndexOf('(') + 1)..text.LastIndexOf(')')], stat.Name);
        Assert.Equal(int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), stat.ParentId);
        Assert.Equal(long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture), stat.StartTicks);
    }
}
