using System.Text.Json.Serialization;

namespace CacheFarm.LoadGen.Reporting;

/// <summary>Source-generated JSON metadata for the report (camelCase, indented, nulls kept so absent figures are explicit).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(LoadGenReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
