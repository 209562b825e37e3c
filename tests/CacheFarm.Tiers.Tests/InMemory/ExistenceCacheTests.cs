using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Tiered;
using CacheFarm.Protos.Wire;
using Microsoft.Extensions.Time.Testing;

namespace CacheFarm.Tiers.Tests.InMemory;

/// <summary>How long the chain believes a remote tier's "present" and "absent" answers, on a fake clock.</summary>
public sealed class ExistenceCacheTests
{
    private static readonly NamespaceId Ns = NamespaceId.Default;
    private static readonly ContentDigest Digest = ContentDigest.Of("blob"u8);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void A_present_blob_is_believed_for_the_whole_ttl()
    {
        var cache = new ExistenceCache(TimeSpan.FromSeconds(60), _clock);
        cache.Record(Ns, Digest, present: true);

        _clock.Advance(TimeSpan.FromSeconds(59.9));
        Assert.True(cache.Lookup(Ns, Digest));
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Null(cache.Lookup(Ns, Digest));
    }

    [Fact]
    public void An_absent_blob_is_believed_for_five_seconds_only_since_another_daemon_may_upload_it()
    {
        var cache = new ExistenceCache(TimeSpan.FromSeconds(60), _clock);
        cache.Record(Ns, Digest, present: false);

        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(cache.Lookup(Ns, Digest));
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Null(cache.Lookup(Ns, Digest));
    }

    [Fact]
    public void A_zero_ttl_remembers_nothing()
    {
        var cache = new ExistenceCache(TimeSpan.Zero, _clock);
        cache.Record(Ns, Digest, present: true);

        Assert.Null(cache.Lookup(Ns, Digest));
    }

    [Fact]
    public void Answers_are_kept_per_namespace_and_a_forgotten_blob_is_asked_about_again()
    {
        var cache = new ExistenceCache(TimeSpan.FromSeconds(60), _clock);
        cache.Record(Ns, Digest, present: true);
        Assert.True(NamespaceId.TryParse("other", out var other, out _));

        Assert.Null(cache.Lookup(other, Digest));
        cache.Forget(Ns, Digest);
        Assert.Null(cache.Lookup(Ns, Digest));
    }
}
