
namespace CacheFarm.Client.Rustc;

/// <summary>One option of a rustc command line in canonical form (<c>-C</c>, <c>--cfg</c>, …) with its value, if it takes one.</summary>
public sealed record RustcOption(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : $"{Name} {Value}";
}
