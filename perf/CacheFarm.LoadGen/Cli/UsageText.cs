namespace CacheFarm.LoadGen.Cli;

/// <summary>The text printed by <c>--help</c> and after a usage error.</summary>
internal static class UsageText
{
    public const string Value = """
        usage: cachefarm-loadgen --target KIND=ADDRESS [--target KIND=ADDRESS] [options]

        targets (loopback only; with a redis target, each cachefarmd target gets its ratio to redis):
          --target cachefarmd=http://127.0.0.1:PORT   gRPC over h2c
          --target cachefarmd=unix:/path/to.sock      gRPC over a Unix socket
          --target cachefarmd-bulk=http://127.0.0.1:PORT,127.0.0.1:BULKPORT
                                                      reads over the daemon's bulk_listen, writes over gRPC
          --target redis=127.0.0.1:PORT               redis-server (or redis=unix:/path)

        what to run:
          --scenario LIST        comma-separated, or 'all' (default blob-read-1m):
                                 entry-hit, blob-read-1m, blob-write-1m, mix-90-10, find-missing, blob-large
          --concurrency N        virtual users (default 8; blob-large uses at most --large-concurrency)
          --warmup S             seconds of unmeasured load before each measured window (default 5)
          --duration S           measured seconds (default 10)
          --requests N           measure N operations instead of a duration (bounded by --max-run-time)
          --max-run-time S       time bound of a request-count window (default 300)
          --op-timeout S         deadline of one operation (default 60)
          --rounds N             runs per target, alternating A/B then B/A; medians are reported (default 1)
          --namespace NS         cache namespace, also the redis key prefix (default loadgen)

        workload:
          --corpus N             preloaded 1 MiB blobs for reads (default 64)
          --chunk-size BYTES     WriteBlob message size, multiple of 4096 (default 262144)
          --find-batch N         digests per FindMissingBlobs call, half present (default 100)
          --entries N            preloaded entries for entry-hit (default 256)
          --large-mib N          blob-large size in MiB (default 100)
          --large-iterations N   write+read iterations per user in blob-large (default 2)
          --large-concurrency N  users in blob-large (default 2)
          --verify               SHA-256-check every blob read, not only its length
          --seed N               seed of the generated content (default fixed)

        server metrics (peak RSS, CPU per MiB):
          --daemon-pid N | --daemon-pidfile PATH
          --redis-pid N          (default: process_id from INFO server)

        output:
          --json FILE            full results, every round
          --markdown FILE        the table printed to stdout
        """;
}
