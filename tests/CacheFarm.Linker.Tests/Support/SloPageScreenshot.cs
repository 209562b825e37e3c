using CacheFarm.Client.Slo;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Linker.Tests.Support;

/// <summary>Renders an slo HTML page in headless Chromium and checks that the screenshot shows both a passing and a failing row.</summary>
public static class SloPageScreenshot
{
    public static async Task AssertShowsPassAndFailAsync(string htmlFile, ITestOutputHelper output)
    {
        Assert.True(File.Exists(htmlFile), $"slo --html wrote no page at {htmlFile}");
        using var browser = new TempDirectory("cf-chromium");
        var png = await HeadlessChromium.ScreenshotAsync(htmlFile, browser.Combine("slo.png"), browser.Combine("profile"));
        var pass = png.Count(SloHtmlReport.PassColor);
        var fail = png.Count(SloHtmlReport.FailColor);
        output.WriteLine($"screenshot of {htmlFile}: pass pixels {pass}, fail pixels {fail}");
        Assert.True(pass > 100, $"{pass} pixels of the pass colour");
        Assert.True(fail > 100, $"{fail} pixels of the fail colour");
    }
}
