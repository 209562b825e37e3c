namespace CacheFarm.Client.Rustc;

/// <summary>
/// The toolchain identity of one wrapper call, resolved at most once: the linker plan and the cache key both need it,
/// and behind a rustup proxy each resolution starts <c>rustc --print sysroot</c>.
/// </summary>
public sealed class ToolchainLookup(string rustc, string memoDirectory)
{
    private Task<ToolchainIdentity>? _identity;

    public Task<ToolchainIdentity> ResolveAsync(CancellationToken cancellationToken) =>
        _identity ??= ToolchainIdentity.ResolveAsync(rustc, memoDirectory, cancellationToken);
}
