using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CacheFarm.Daemon.Telemetry;

/// <summary>
/// 64-bit counters named by <typeparamref name="TName"/> that many threads add to with Interlocked, added as a set
/// onto the <typeparamref name="TStats"/> fields of the same names and zeroed as a set.
/// </summary>
/// <remarks>Naming a counter once, in the enum, keeps the copy and the reset from each listing every field by hand.</remarks>
public abstract class CounterSet<TName, TStats>
    where TName : struct, Enum
    where TStats : IMessage<TStats>, new()
{
    private static readonly TName[] Names = Enum.GetValues<TName>();

    // A counter without a stats field of its name is a programming error, found by the first stats call of any test.
    private static readonly FieldDescriptor[] Fields = Names
        .Select(name => new TStats().Descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.PropertyName == name.ToString())
            ?? throw new InvalidOperationException($"{typeof(TStats).Name} has no field for the counter {name}"))
        .ToArray();

    private readonly long[] _values = new long[Names.Length];

    /// <summary>The counter itself, to add to with Interlocked.</summary>
    public ref long this[TName name] => ref _values[Unsafe.As<TName, int>(ref name)];

    /// <summary>Adds every counter onto its field, so that counts kept in two places (a tier and its chain) sum up.</summary>
    public void AddTo(TStats stats)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            var accessor = Fields[i].Accessor;
            accessor.SetValue(stats, (long)accessor.GetValue(stats) + Interlocked.Read(ref _values[i]));
        }
    }

    public virtual void Zero()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            Interlocked.Exchange(ref _values[i], 0);
        }
    }
}
