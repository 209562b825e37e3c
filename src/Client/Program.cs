using System.Runtime.InteropServices;
using CacheFarm.Client.Admin;
using CacheFarm.Client.BuildScripts;
using CacheFarm.Client.CFamily;
using CacheFarm.Client.Doctor;
using CacheFarm.Client.Linker;
using CacheFarm.Client.Reports;
using CacheFarm.Client.Slo;
using CacheFarm.Client.Wrapper;

// cachefarm under a C or C++ compiler's name (a link on PATH, as with ccache, or a shim on a build script's PATH).
if (CompilerMasquerade.CalledAs() is { } compilerName)
{
    if (CompilerMasquerade.FindReal(compilerName, Environment.GetEnvironmentVariable("PATH"), Environment.CurrentDirectory) is not { } realCompiler)
    {
        Console.Error.WriteLine($"cachefarm: {compilerName}: not found on PATH");
        return 127;
    }
    return await CFamilyCommand.RunAsync(realCompiler, args, WrapperCommand.ReadEnvironment(), CancellationToken.None).ConfigureAwait(false);
}
// Cargo runs a build script whose binary the wrapper replaced with a launcher (#!cachefarm --cachefarm-build-script:…).
if (BuildScriptLauncher.IsLauncherCall(args))
{
    return await BuildScriptRun.RunAsync(args, CancellationToken.None).ConfigureAwait(false);
}
// rustc runs cachefarm as its linker (-C linker=cachefarm, set up by the wrapper): run the real driver and time it.
if (LinkShim.IsShimCall(args) && !AdminCommands.Handles(args[0]))
{
    return LinkShim.Run(args);
}
if (args.Length == 0)
{
    Console.Error.WriteLine(AdminCommands.Usage);
    return 2;
}
using var cancel = new CancellationTokenSource();
// Ctrl-C (and Ctrl-\) cancel the work in hand instead of killing the process mid-write; registered directly, as
// Console.CancelKeyPress first sets up the console, a cost every rustc call would pay.
void Interrupted(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupted);
using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Interrupted);
if (AdminCommands.Handles(args[0]))
{
    return await AdminCommands.RunAsync(args, Environment.GetEnvironmentVariable, cancel.Token).ConfigureAwait(false);
}
if (args[0] is "report")
{
    return await ReportCommand.RunAsync(args[1..], Environment.GetEnvironmentVariable, cancel.Token).ConfigureAwait(false);
}
if (args[0] is "doctor")
{
    return await DoctorCommand.RunAsync(args[1..], Environment.GetEnvironmentVariable, cancel.Token).ConfigureAwait(false);
}
if (args[0] is "slo")
{
    return await SloCommand.RunAsync(args[1..], Environment.GetEnvironmentVariable, cancel.Token).ConfigureAwait(false);
}
if (args[0] is "linker")
{
    return await LinkerCommand.RunAsync(args[1..], Environment.GetEnvironmentVariable, cancel.Token).ConfigureAwait(false);
}
// Anything else is a compiler call: `cachefarm /path/to/rustc args…` (RUSTC_WRAPPER) or `cachefarm rustc args…`.
return await WrapperCommand.RunAsync(args, cancel.Token).ConfigureAwait(false);
