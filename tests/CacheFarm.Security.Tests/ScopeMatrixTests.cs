using CacheFarm.Client.Connection;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Security.Tests;

/// <summary>Every token scope × namespace × operation against a real daemon that requires tokens.</summary>
public sealed class ScopeMatrixTests(TokenDaemonFixture fixture) : IClassFixture<TokenDaemonFixture>
{
    public static readonly string[] Operations =
        ["FindMissingBlobs", "ReadBlob", "WriteBlob", "BatchUpdateBlobs", "GetEntry", "PutEntry", "GetStats", "ZeroStats", "RecordCompile"];

    private static readonly Dictionary<string, string> ScopeOf = new()
    {
        ["FindMissingBlobs"] = "read",
        ["ReadBlob"] = "read",
        ["WriteBlob"] = "write-blobs",
        ["BatchUpdateBlobs"] = "write-blobs",
        ["GetEntry"] = "read",
        ["PutEntry"] = "write-entries",
        ["GetStats"] = "read",
        ["ZeroStats"] = "admin",
        ["RecordCompile"] = "read",
    };

    private static readonly HashSet<string> NamespaceFree = ["GetStats", "ZeroStats", "RecordCompile"];

    public static IEnumerable<object[]> Matrix() =>
        from token in new[] { "reader", "blob-writer", "ci", "operator" }
        from ns in new[] { "team", "other" }
        from operation in Operations
        select new object[] { token, ns, operation };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task OperationIsAllowedExactlyWhenTheTokenHasTheScopeAndTheNamespace(string tokenName, string ns, string operation)
    {
        var token = new[] { TokenDaemonFixture.Reader, TokenDaemonFixture.BlobWriter, TokenDaemonFixture.CiWriter, TokenDaemonFixture.Operator }.Single(t => t.Name == tokenName);
        var expectAllowed = token.Scopes.Contains(ScopeOf[operation])
            && (NamespaceFree.Contains(operation) || token.Namespaces.Contains("*") || token.Namespaces.Contains(ns));
        using var client = fixture.ClientFor(token, ns);
        var status = await RunAsync(client, operation);
        if (expectAllowed)
        {
            Assert.True(status is StatusCode.OK or StatusCode.NotFound, $"{tokenName} {operation} in {ns}: expected success, got {status}");
        }
        else
        {
            Assert.Equal(StatusCode.PermissionDenied, status);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    [InlineData("")]
    public async Task MissingOrUnknownTokensAreUnauthenticatedForEveryOperation(string? secret)
    {
        foreach (var operation in Operations)
        {
            using var client = fixture.Daemon.Client("team", new ClientCredentials { Token = secret });
            Assert.Equal(StatusCode.Unauthenticated, await RunAsync(client, operation));
        }
    }

    [Fact]
    public async Task WritesDeniedToAReadOnlyTokenStoreNothing()
    {
        var data = BlobData.Random(10_000, seed: 77);
        using (var reader = fixture.ClientFor(TokenDaemonFixture.Reader, "team"))
        {
            Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => reader.UploadAsync(ContentDigest.Of(data), new MemoryStream(data), default)));
        }
        using var ci = fixture.ClientFor(TokenDaemonFixture.CiWriter, "team");
        Assert.Single(await ci.FindMissingAsync([ContentDigest.Of(data).ToProto()], default));
    }

    [Fact]
    public async Task RateLimitedTokenIsRefusedWithResourceExhaustedPastItsRate()
    {
        using var client = fixture.ClientFor(TokenDaemonFixture.Throttled, "team");
        var statuses = new List<StatusCode>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add(await StatusOf(() => client.Admin.GetStatsAsync(default)));
        }
        Assert.Contains(StatusCode.OK, statuses);
        Assert.Contains(StatusCode.ResourceExhausted, statuses);
    }

    private static async Task<StatusCode> RunAsync(CacheClient client, string operation)
    {
        var data = BlobData.Random(64, seed: operation.Length);
        var digest = ContentDigest.Of(data);
        var key = ContentDigest.Of(System.Text.Encoding.UTF8.GetBytes(operation)).Hex;
        return operation switch
        {
            "FindMissingBlobs" => await StatusOf(() => client.FindMissingAsync([digest.ToProto()], default)),
            "ReadBlob" => await StatusOf(async () =>
            {
                if (!await client.DownloadAsync(digest, new MemoryStream(), default))
                {
                    throw new RpcException(new Status(StatusCode.NotFound, "miss"));
                }
            }),
            "WriteBlob" => await StatusOf(() => client.UploadAsync(digest, new MemoryStream(data), default)),
            "BatchUpdateBlobs" => await StatusOf(() => client.BatchUploadAsync([(digest, data)], default)),
            "GetEntry" => await StatusOf(() => client.GetEntryAsync(key, default)),
            "PutEntry" => await StatusOf(() => client.PutEntryAsync(key, new Entry { ExitCode = 0 }, default)),
            "GetStats" => await StatusOf(() => client.Admin.GetStatsAsync(default)),
            "ZeroStats" => await StatusOf(() => client.Admin.ZeroStatsAsync(default)),
            "RecordCompile" => await StatusOf(() => client.Admin.RecordCompileAsync(new CompileRecord { Outcome = CompileOutcome.Miss }, default)),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
    }

    private static async Task<StatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
