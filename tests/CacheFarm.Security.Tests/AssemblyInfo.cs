// Real daemon processes on 2 cores: one test at a time keeps timings and RSS readings meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
