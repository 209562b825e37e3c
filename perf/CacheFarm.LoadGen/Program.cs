using System.Runtime.InteropServices;
using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Reporting;
using CacheFarm.LoadGen.Running;

// cachefarm-loadgen: the same scenarios against cachefarmd and redis-server, reported as ratios.
// Exit codes: 0 all runs measured without errors, 1 a run failed or had errors, 2 usage error, 130 interrupted.

var parsed = LoadGenOptionsParser.Parse(args);
if (parsed.HelpRequested)
{
    Console.WriteLine(UsageText.Value);
    return 0;
}
if (parsed.Options is not { } options)
{
    Console.Error.WriteLine($"error: {parsed.Error}");
    Console.Error.WriteLine(UsageText.Value);
    return 2;
}

using var interrupted = new CancellationTokenSource();
// Ctrl+C and SIGTERM (e.g. from run-loadgen.sh's trap) let the runs unwind instead of killing the process mid-write.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);

try
{
    var report = await new LoadGenSession(options).RunAsync(interrupted.Token);
    var markdown = MarkdownReport.Render(report);
    Console.WriteLine(markdown);
    if (options.JsonPath is { } json)
    {
        await ReportFiles.WriteJsonAsync(json, report, CancellationToken.None);
    }
    if (options.MarkdownPath is { } md)
    {
        await ReportFiles.WriteMarkdownAsync(md, markdown, CancellationToken.None);
    }
    var clean = report.Scenarios.SelectMany(s => s.Targets).SelectMany(t => t.Rounds).All(r => r.Failure is null && r.Errors == 0);
    return clean ? 0 : 1;
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted");
    return 130;
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
catch (Exception ex)
{
    // Failures inside a run are reported per run; this is a target unreachable at start or a report not writable.
    Console.Error.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
    return 1;
}

void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}
