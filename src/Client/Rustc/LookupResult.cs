using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Rustc;

/// <summary>What a lookup found: the entry on a hit, and the manifest (possibly empty) a miss will extend.</summary>
public sealed record LookupResult(Entry? Hit, string? EntryKey, InputManifest Manifest, bool UsedDepInfoPass);
