
namespace CacheFarm.Client.Rustc;

/// <summary>One <c>--emit</c> kind, with the explicit output path when given as <c>kind=path</c>.</summary>
public sealed record EmitRequest(string Kind, string? Path);
