// One RepoPaths for every test project; the alias keeps it unambiguous beside this project's own Support types.
global using RepoPaths = CacheFarm.TestSupport.RepoPaths;
global using RustTools = CacheFarm.TestSupport.RustTools;
global using WrapperDaemon = CacheFarm.TestSupport.WrapperDaemon;
global using StoppedProcess = CacheFarm.TestSupport.StoppedProcess;
