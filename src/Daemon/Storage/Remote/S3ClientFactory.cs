using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Builds the S3 client from the tier's settings, leaving the rest to the SDK's standard chains.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3TierOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.PathStyle ?? options.Endpoint is not null,
            Timeout = options.Timeout,
            // The tier chain has its own breaker and verifies every blob with SHA-256: SDK retries
            // would only stretch a failing request past its deadline, and CRC checksums (which
            // also force aws-chunked bodies) would hash the bytes a second time.
            MaxErrorRetry = 1,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : (options.UseSsl ? "https://" : "http://") + endpoint;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        try
        {
            return Create(options, config);
        }
        catch (AmazonClientException) when (config.RegionEndpoint is null && config.ServiceURL is null)
        {
            // Neither the settings nor the AWS environment and config files name a region: S3's
            // global default, as the AWS CLI and sccache use.
            config.RegionEndpoint = RegionEndpoint.USEast1;
            return Create(options, config);
        }
    }

    private static AmazonS3Client Create(S3TierOptions options, AmazonS3Config config) =>
        options.AccessKeyId is { } keyId && options.SecretAccessKey is { } secret
            ? new AmazonS3Client(new BasicAWSCredentials(keyId, secret), config)
            : new AmazonS3Client(config);
}
