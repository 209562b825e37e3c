namespace CacheFarm.Client.CachedCommands;

/// <summary>The verdict on one compiler call, with the reason (in sccache's words where it has one) when not cacheable.</summary>
public readonly record struct CompileClassification(CompileKind Kind, string Reason)
{
    public static CompileClassification Cacheable { get; } = new(CompileKind.Cacheable, "");

    public static CompileClassification NotCacheable(string reason) => new(CompileKind.NotCacheable, reason);

    public static CompileClassification NotCompilation(string reason) => new(CompileKind.NotCompilation, reason);
}
