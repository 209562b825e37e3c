using CacheFarm.Client.Admin;
using CacheFarm.Client.Wrapper;

if (args.Length == 0)
{
    Console.Error.WriteLine(AdminCommands.Usage);
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
if (AdminCommands.Handles(args[0]))
{
    return await AdminCommands.RunAsync(args, Environment.GetEnvironmentVariable, cancel.Token).ConfigureAwait(false);
}
// Anything else is a compiler call: `cachefarm /path/to/rustc args…` (RUSTC_WRAPPER) or `cachefarm rustc args…`.
return await WrapperCommand.RunAsync(args, cancel.Token).ConfigureAwait(false);
