namespace CacheFarm.Client.CFamily;

/// <summary>
/// A C, C++ or assembler compile as its command line describes it: the one source, its language, the object
/// (or assembly listing) it writes, and the depfile <c>-MF</c> names. Every other file it writes is found by
/// tracing the compile.
/// </summary>
public sealed record CompilerArgs(string Source, string Language, string ObjectPath, string? DepFile);
