using System.Security.Cryptography;

namespace CacheFarm.Protos.Wire;

/// <summary>
/// Incremental SHA-256 that stays in managed code while the input is small and hands over to the
/// platform's (OpenSSL, SHA-NI) once it grows: cheap to start for a key, fast for a large file.
/// </summary>
public sealed class Sha256Accumulator : IDisposable
{
    /// <summary>Inputs up to this size stay managed while the process has not loaded the platform implementation.</summary>
    public const int ManagedLimit = 256 << 10;

    // Once the platform implementation is loaded its start-up is paid, and it is some ten times faster per byte:
    // only inputs too small to amortise creating a context stay managed.
    private const int LoadedManagedLimit = 1 << 10;

    private static volatile bool s_platformLoaded;

    private static int CurrentManagedLimit => s_platformLoaded ? LoadedManagedLimit : ManagedLimit;

    private readonly int _unloadedManagedLimit;
    private byte[] _buffer = new byte[4096];
    private int _length;
    private IncrementalHash? _platform;

    public Sha256Accumulator()
        : this(ManagedLimit)
    {
    }

    /// <summary>
    /// An accumulator that stays managed up to <paramref name="unloadedManagedLimit"/> bytes while the platform
    /// implementation is not loaded: for text already in memory (a key over thousands of inputs), hashing some
    /// hundred KiB in managed code costs less than loading the library.
    /// </summary>
    public Sha256Accumulator(int unloadedManagedLimit) => _unloadedManagedLimit = unloadedManagedLimit;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_platform is not null)
        {
            _platform.AppendData(data);
            return;
        }
        var limit = s_platformLoaded ? LoadedManagedLimit : _unloadedManagedLimit;
        if (_length + data.Length > limit)
        {
            _platform = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            s_platformLoaded = true;
            _platform.AppendData(_buffer.AsSpan(0, _length));
            _platform.AppendData(data);
            _length = 0;
            return;
        }
        if (_length + data.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(limit, Math.Max(_buffer.Length * 2, _length + data.Length)));
        }
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>Writes the hash of everything appended (32 bytes) and starts over.</summary>
    public void GetHashAndReset(Span<byte> destination)
    {
        if (_platform is not null)
        {
            _platform.GetHashAndReset(destination);
            _platform.Dispose();
            _platform = null;
        }
        else
        {
            ManagedSha256.Hash(_buffer.AsSpan(0, _length), destination);
        }
        _length = 0;
    }

    public byte[] GetHashAndReset()
    {
        var hash = new byte[32];
        GetHashAndReset(hash);
        return hash;
    }

    /// <summary>One-shot hash choosing the cheaper implementation for the size.</summary>
    public static byte[] HashData(ReadOnlySpan<byte> data)
    {
        if (data.Length > CurrentManagedLimit)
        {
            var platform = SHA256.HashData(data);
            s_platformLoaded = true;
            return platform;
        }
        var hash = new byte[32];
        ManagedSha256.Hash(data, hash);
        return hash;
    }

    /// <summary>
    /// Loads the platform implementation now, for a caller with a wait to overlap it with (a reply in flight, a
    /// compiler running), so the load does not follow the wait.
    /// </summary>
    public static void PreparePlatform()
    {
        if (s_platformLoaded)
        {
            return;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([]);
        Span<byte> discard = stackalloc byte[32];
        hash.GetHashAndReset(discard);
        s_platformLoaded = true;
    }

    public void Dispose() => _platform?.Dispose();
}
