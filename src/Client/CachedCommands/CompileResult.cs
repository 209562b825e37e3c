using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>What a captured rustc run produced: exit code, the bytes it printed, and how long it took.</summary>
public sealed record CompileResult(int ExitCode, byte[] Stdout, byte[] Stderr, TimeSpan Duration);
