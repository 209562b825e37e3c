using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Reports;

/// <summary>One crate compile in a build, with times relative to the build's start (µs).</summary>
public sealed record UnitRun(CompileRecord Record, long StartUs)
{
    public string Name => Record.Unit.Length > 0 ? Record.Unit : Record.CrateName;

    public string Outcome => CompileReporter.Name(Record.Outcome);

    public long EndUs => StartUs + Record.TotalUs;

    /// <summary>rustc's time without the link (the link runs inside rustc, and compile_us in the record includes it).</summary>
    public long CompileOnlyUs => Math.Max(0, Record.CompileUs - Record.LinkUs);

    public bool RanRustc => Record.Outcome is not CompileOutcome.Hit;
}
