using CacheFarm.Client.Admin;

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
Console.Error.WriteLine("cachefarm: compiler wrapping is not available in this build");
return 2;
