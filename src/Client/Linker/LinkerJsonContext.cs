using System.Text.Json.Serialization;

namespace CacheFarm.Client.Linker;

/// <summary>Source-generated JSON for the linker files (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LinkerInventory))]
[JsonSerializable(typeof(LinkerLearning))]
internal sealed partial class LinkerJsonContext : JsonSerializerContext;
