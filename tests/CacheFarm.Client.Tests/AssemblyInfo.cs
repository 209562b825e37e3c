// One temporary-directory helper and one process runner for every test project.
global using ProcessRun = CacheFarm.TestSupport.ProcessRun;
global using TempDirectory = CacheFarm.TestSupport.TempDirectory;

// End-to-end tests build real crates and measure build times on a 2-core machine: run one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
