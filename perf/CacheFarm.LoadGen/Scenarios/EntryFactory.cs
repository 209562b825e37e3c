using System.Security.Cryptography;
using System.Text;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>Builds the entries entry-hit preloads: a few outputs and enough compiler warnings to reach the wanted size.</summary>
internal static class EntryFactory
{
    private const string Warning =
        "warning: unused variable: `scratch`\n  --> src/lib.rs:42:9\n   |\n42 |     let scratch = Vec::with_capacity(64);\n"
        + "   |         ^^^^^^^ help: if this is intentional, prefix it with an underscore: `_scratch`\n\n";

    /// <summary>The entry's key: lowercase hex SHA-256, as a client computes it.</summary>
    public static string Key(ulong seed, int index) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"cachefarm-loadgen entry {seed} {index}")));

    public static Entry Build(int index, IReadOnlyList<ContentDigest> outputs, int targetBytes)
    {
        var entry = new Entry
        {
            ExitCode = 0,
            Metadata = new EntryMetadata
            {
                Tool = "rustc 1.95.0 (59807616e 2026-04-14)",
                CompileDurationUs = 1_250_000 + index,
                CreatedUnixMs = 1_767_225_600_000,
                Host = "loadgen",
            },
        };
        for (var i = 0; i < outputs.Count; i++)
        {
            entry.Outputs.Add(new OutputFile { Path = $"target/debug/deps/libcrate{index}-{i}.rmeta", Digest = outputs[i].ToProto() });
        }
        var missing = Math.Max(0, targetBytes - entry.CalculateSize());
        var stderr = new StringBuilder(missing + Warning.Length);
        // Bounded by the size asked for: each pass adds a whole warning.
        while (stderr.Length < missing)
        {
            stderr.Append(Warning);
        }
        entry.Stderr = ByteString.CopyFromUtf8(stderr.ToString(0, Math.Min(stderr.Length, missing)));
        return entry;
    }
}
