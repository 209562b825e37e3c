using BenchmarkDotNet.Running;
using CacheFarm.Benchmarks;

// `cachefarm-bench --filter '*'` runs everything; `--job short` keeps a run to minutes.
BenchmarkSwitcher.FromAssembly(typeof(HashingBenchmarks).Assembly).Run(args);
