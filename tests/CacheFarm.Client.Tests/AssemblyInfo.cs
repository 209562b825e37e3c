// End-to-end tests build real crates and measure build times on a 2-core machine: run one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
