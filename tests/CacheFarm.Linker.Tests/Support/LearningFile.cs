using System.Text.Json;

namespace CacheFarm.Linker.Tests.Support;

/// <summary>The client's linker-timings.json as the tests read it: auto's choice, its reason and the number of shadow links.</summary>
public sealed record LearningFile(string Choice, string Reason, int Samples)
{
    public static LearningFile Read(string path)
    {
        if (!File.Exists(path))
        {
            return new LearningFile("", "", 0);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        return new LearningFile(root.GetProperty("choice").GetString() ?? "", root.GetProperty("choiceReason").GetString() ?? "", root.GetProperty("samples").GetArrayLength());
    }

    public bool Settled => Reason.StartsWith("auto, fastest measured here", StringComparison.Ordinal);
}
