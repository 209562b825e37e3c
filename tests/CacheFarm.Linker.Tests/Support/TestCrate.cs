namespace CacheFarm.Linker.Tests.Support;

/// <summary>A one-binary cargo package written into a directory, whose program prints a version number the test can change.</summary>
public static class TestCrate
{
    public static string Create(string directory, string name, int version = 0)
    {
        Directory.CreateDirectory(Path.Combine(directory, "src"));
        File.WriteAllText(Path.Combine(directory, "Cargo.toml"), $"""
            [package]
            name = "{name}"
            version = "0.1.0"
            edition = "2021"

            [workspace]
            """);
        SetVersion(directory, version);
        return directory;
    }

    /// <summary>Changes the program's source (not just its mtime, which the cache would see through).</summary>
    public static void SetVersion(string directory, int version) =>
        File.WriteAllText(Path.Combine(directory, "src", "main.rs"), $"fn main() {{\n    println!(\"version {version}\");\n}}\n");
}
