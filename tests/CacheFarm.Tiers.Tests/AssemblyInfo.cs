// Most tests run real daemons, redis-server and s3rver on 2 cores; one at a time keeps the
// timeout bounds the tests assert meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
