using Microsoft.Playwright;

namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>
/// Headless Chromium from Debian (<c>/usr/bin/chromium</c>, installed by .ci/run) driven by Playwright, which must
/// never download a browser of its own. Shared by the web page tests of tests/Server and tests/Browser.
/// </summary>
public sealed class DebianChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private DebianChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Starts the browser, with autoplay allowed so that pages can play audio without a click.</summary>
    /// <exception cref="InvalidOperationException">Debian's chromium is not installed.</exception>
    public static async Task<DebianChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does.");
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        });
        return new DebianChromium(playwright, browser);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
