// Daemon tests run real processes that contend for 2 cores and the disk; running them one at a
// time keeps timings (eviction, kill during write) meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
