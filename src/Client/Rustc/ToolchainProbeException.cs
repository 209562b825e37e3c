namespace CacheFarm.Client.Rustc;

/// <summary>rustc did not describe itself (<c>-vV</c> or <c>--print sysroot</c> failed), so no key can name its toolchain.</summary>
public sealed class ToolchainProbeException(string message) : Exception(message);
