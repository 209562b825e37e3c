// These tests build real crates and time real links on a 2-core machine: one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
