using System.Collections.Concurrent;

namespace CacheFarm.LoadGen.Running;

/// <summary>The first few distinct error messages of a run, with how often each occurred.</summary>
/// <remarks>Bounded: a server that fails every request must not make the load generator run out of memory.</remarks>
internal sealed class ErrorSamples
{
    private const int MaxDistinct = 5;
    private const int MaxMessageLength = 300;

    private readonly ConcurrentDictionary<string, long> _counts = new();

    public void Add(OperationKind kind, Exception exception)
    {
        var message = $"{kind}: {exception.GetType().Name}: {exception.Message}";
        if (message.Length > MaxMessageLength)
        {
            message = message[..MaxMessageLength] + "…";
        }
        if (_counts.ContainsKey(message) || _counts.Count < MaxDistinct)
        {
            _counts.AddOrUpdate(message, 1, (_, count) => count + 1);
        }
    }

    public IReadOnlyList<string> Summaries() =>
        _counts.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Value}× {pair.Key}").ToList();
}
