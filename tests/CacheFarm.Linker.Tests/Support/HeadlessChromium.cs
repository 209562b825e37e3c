using CacheFarm.TestSupport;
namespace CacheFarm.Linker.Tests.Support;

/// <summary>Debian's chromium, headless, taking a screenshot of a local page with a fresh profile and no network use of its own.</summary>
public static class HeadlessChromium
{
    public static async Task<PngImage> ScreenshotAsync(string htmlFile, string pngFile, string profileDirectory)
    {
        var chromium = RustToolchain.Require("chromium", "chromium");
        Directory.CreateDirectory(profileDirectory);
        var run = await ProcessRun.RunAsync(chromium,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profileDirectory, "--screenshot=" + pngFile,
            "--window-size=1200,900", new Uri(htmlFile).AbsoluteUri,
        ], profileDirectory, new Dictionary<string, string?>());
        if (!File.Exists(pngFile))
        {
            throw new InvalidOperationException($"chromium wrote no screenshot ({run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");
        }
        return PngImage.Load(pngFile);
    }
}
