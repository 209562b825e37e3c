using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>An entry named an output outside the output directory; the entry is refused and the crate compiled.</summary>
public sealed class UnsafeOutputPathException(string path)
    : IOException($"entry output path '{path}' would be written outside the output directory; entry refused");
