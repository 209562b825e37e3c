namespace CacheFarm.LoadGen.Reporting;

/// <summary>
/// Combines the rounds of one scenario on one target: medians for rates, latencies and CPU (the machine
/// is noisy), sums for errors, maxima for memory peaks.
/// </summary>
internal static class RoundMedians
{
    private const int MaxErrorSamples = 10;

    /// <summary>Null when no round produced measurements.</summary>
    public static RunMetrics? Of(IReadOnlyList<RunMetrics> rounds)
    {
        var measured = rounds.Where(r => r.Failure is null).ToList();
        if (measured.Count == 0)
        {
            return null;
        }
        var first = measured[0];
        return new RunMetrics
        {
            Scenario = first.Scenario,
            Target = first.Target,
            Round = 0,
            Users = first.Users,
            ElapsedSeconds = Median(measured, r => r.ElapsedSeconds),
            Operations = (long)Median(measured, r => r.Operations),
            Bytes = (long)Median(measured, r => r.Bytes),
            Errors = rounds.Sum(r => r.Errors),
            MibPerSecond = Median(measured, r => r.MibPerSecond),
            OpsPerSecond = Median(measured, r => r.OpsPerSecond),
            P50Ms = Median(measured, r => r.P50Ms),
            P95Ms = Median(measured, r => r.P95Ms),
            P99Ms = Median(measured, r => r.P99Ms),
            MaxMs = measured.Max(r => r.MaxMs),
            ServerPeakRssMiB = measured.Max(r => r.ServerPeakRssMiB),
            ServerHwmMiB = measured.Max(r => r.ServerHwmMiB),
            ServerCpuMs = MedianOrNull(measured, r => r.ServerCpuMs),
            ServerCpuMsPerMiB = MedianOrNull(measured, r => r.ServerCpuMsPerMiB),
            ServerCpuUsPerOp = MedianOrNull(measured, r => r.ServerCpuUsPerOp),
            ClientCpuMs = Median(measured, r => r.ClientCpuMs),
            ClientCpuMsPerMiB = MedianOrNull(measured, r => r.ClientCpuMsPerMiB),
            ByOperation = measured.SelectMany(r => r.ByOperation).GroupBy(o => o.Operation).Select(Combine).ToList(),
            ErrorSamples = rounds.SelectMany(r => r.ErrorSamples).Distinct().Take(MaxErrorSamples).ToList(),
        };
    }

    private static OperationMetrics Combine(IGrouping<string, OperationMetrics> rounds)
    {
        var list = rounds.ToList();
        return new OperationMetrics
        {
            Operation = rounds.Key,
            Operations = (long)Median(list, o => o.Operations),
            Errors = list.Sum(o => o.Errors),
            MibPerSecond = Median(list, o => o.MibPerSecond),
            OpsPerSecond = Median(list, o => o.OpsPerSecond),
            P50Ms = Median(list, o => o.P50Ms),
            P95Ms = Median(list, o => o.P95Ms),
            P99Ms = Median(list, o => o.P99Ms),
            MaxMs = list.Max(o => o.MaxMs),
        };
    }

    private static double? MedianOrNull<T>(IReadOnlyList<T> items, Func<T, double?> selector)
    {
        var values = items.Select(selector).OfType<double>().ToList();
        return values.Count == 0 ? null : MedianOfValues(values);
    }

    private static double Median<T>(IReadOnlyList<T> items, Func<T, double> selector) =>
        MedianOfValues(items.Select(selector).ToList());

    private static double MedianOfValues(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
