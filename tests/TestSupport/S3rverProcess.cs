using System.Diagnostics;

namespace CacheFarm.TestSupport;

/// <summary>A real s3rver (S3-compatible server) on a free loopback port with one bucket; credentials S3RVER/S3RVER.</summary>
public sealed class S3rverProcess : LoopbackServerProcess
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly TempDirectory _dir = new("cfs3");

    private S3rverProcess(int port, string bucket)
        : base(port)
    {
        Bucket = bucket;
    }

    public string Bucket { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The flags that point cachefarmd's S3 tier at this server.</summary>
    public string[] DaemonArgs =>
        ["--s3-bucket", Bucket, "--s3-endpoint", Endpoint, "--s3-access-key-id", AccessKey, "--s3-secret-access-key", SecretKey];

    protected override string ReadyText => "S3rver listening on";

    public static async Task<S3rverProcess> StartAsync(string bucket = "cachefarm-test")
    {
        var server = new S3rverProcess(FreePort.Next(), bucket);
        await server.RestartAsync().ConfigureAwait(false);
        return server;
    }

    protected override ProcessStartInfo StartInfo() =>
        new(Require(Path.Combine(RepoPaths.Root, "tools", "node_modules", ".bin", "s3rver"), "run scripts/setup.sh (npm ci in tools/)"))
        {
            ArgumentList =
            {
                "-d", _dir.Path, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--configure-bucket", Bucket,
            },
        };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        _dir.Dispose();
    }
}
