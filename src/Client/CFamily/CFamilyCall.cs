using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.CFamily;

/// <summary>One cacheable C or C++ compile: the real compiler, its arguments as given and as read, the environment, the checkout roots and the outputs it may write.</summary>
public sealed class CFamilyCall
{
    public required string Compiler { get; init; }

    /// <summary>The arguments exactly as given (response files not expanded): what the compiler runs with and what is keyed.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>The arguments with response files expanded, as the command line was read.</summary>
    public required IReadOnlyList<string> ExpandedArgs { get; init; }

    public required CompilerArgs Parsed { get; init; }

    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required CheckoutRoots Roots { get; init; }

    public required CompileOutputs Outputs { get; init; }

    public string WorkingDirectory => Roots.WorkingDirectory;

    public string? Env(string name) => Environment.TryGetValue(name, out var value) ? value : null;
}
