using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using CacheFarm.LinkShaper;

// cachefarm-linkshaper: shapes a loopback link for benchmarks, until SIGINT/SIGTERM.
// Usage: cachefarm-linkshaper LISTEN_PORT TARGET_HOST:PORT [ONE_WAY_DELAY_MS (1)] [MBIT_PER_S (1000)]
if (args.Length is < 2 or > 4 || !int.TryParse(args[0], out var port) || !IPEndPoint.TryParse(args[1], out var target)
    || !TryNumber(args, 2, 1, out var delayMs) || !TryNumber(args, 3, 1000, out var mbit) || delayMs < 0 || mbit <= 0)
{
    Console.Error.WriteLine("usage: cachefarm-linkshaper LISTEN_PORT TARGET_HOST:PORT [ONE_WAY_DELAY_MS (1)] [MBIT_PER_S (1000)]");
    return 2;
}
var shape = new LinkShape(TimeSpan.FromMilliseconds(delayMs), (long)(mbit * 1_000_000));
await using var proxy = LinkShapingProxy.Start(target, shape, port);
using var stop = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
Console.WriteLine($"linkshaper ready on 127.0.0.1:{proxy.Port} -> {target}, {delayMs} ms each way, {mbit} Mbit/s");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
Console.WriteLine($"linkshaper: {proxy.Connections} connections");
return 0;

static bool TryNumber(string[] args, int index, double fallback, out double value)
{
    value = fallback;
    return args.Length <= index || double.TryParse(args[index], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
