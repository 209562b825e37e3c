using CacheFarm.Client.Tracing;

namespace CacheFarm.Client.Tests.Tracing;

public sealed class TraceLogTests
{
    [Fact]
    public void Reads_each_kind_of_access_and_flags_escapes_and_the_network()
    {
        var log = TraceLog.Parse(["R\t/usr/include/stdio.h", "S\t/usr/bin/cc", "A\t/usr/local/bin/cc", "D\t/usr/include", "X\t/usr/bin/gcc",
            "W\t/tmp/out/../out/x.o", "E\tCFLAGS", "N\texample.org", "!\tstatic program /sbin/ldconfig", "cut sh"]);

        Assert.Equal(["/usr/include/stdio.h"], log.Read);
        Assert.Equal(["/usr/bin/cc"], log.LookedUp);
        Assert.Equal(["/usr/local/bin/cc"], log.Absent);
        Assert.Equal(["/usr/include"], log.Listed);
        Assert.Equal(["/usr/bin/gcc"], log.Executed);
        Assert.Equal(["/tmp/out/x.o"], log.Written);
        Assert.Equal(["CFLAGS"], log.Variables);
        Assert.True(log.UsedNetwork);
        Assert.Equal(["static program /sbin/ldconfig", "a damaged trace line"], log.Escapes);
    }
}
