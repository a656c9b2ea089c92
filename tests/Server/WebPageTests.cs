using Microsoft.Playwright;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>The page at <c>/</c> in Debian's headless Chromium (Playwright drives it; no browser is downloaded).</summary>
public sealed class WebPageTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private DebianChromium _chromium = null!;

    public async Task InitializeAsync()
    {
        _chromium = await DebianChromium.LaunchAsync();
        _server = await TestServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<IPage> OpenAsync()
    {
        IPage page = await _chromium.Browser.NewPageAsync();
        await page.GotoAsync(_server.BaseAddress.ToString());
        return page;
    }

    [Fact]
    public async Task Type_generate_and_the_audio_plays()
    {
        IPage page = await OpenAsync();
        await page.FillAsync("#text-input", "Hello from the browser.");
        await page.ClickAsync("#generate-btn");

        await page.WaitForSelectorAsync("#audio-section:not(.hidden)", new PageWaitForSelectorOptions { Timeout = 60_000 });
        (await page.TextContentAsync("#status"))!.ShouldNotStartWith("Error");
        long streamed = long.Parse(await page.EvaluateAsync<string>("() => document.body.dataset.streamedBytes"), System.Globalization.CultureInfo.InvariantCulture);
        float[] expected = await _server.ExpectedAsync("Hello from the browser.");
        streamed.ShouldBe(44 + (2L * expected.Length), "the page streamed the whole WAV into its player");

        // The audio element holds the result: press play, and it must advance (or finish).
        await page.EvaluateAsync("() => document.getElementById('audio').play()");
        await page.WaitForFunctionAsync("() => { const a = document.getElementById('audio'); return a.ended || a.currentTime > 0.3; }", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        double duration = await page.EvaluateAsync<double>("() => document.getElementById('audio').duration");
        duration.ShouldBe(expected.Length / 24000.0, tolerance: 0.05);
    }

    [Fact]
    public async Task The_voice_list_comes_from_the_server_and_a_chosen_voice_is_used()
    {
        IPage page = await OpenAsync();
        await page.WaitForSelectorAsync("#voice-select option[value='ref']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#voice-select", "ref");
        await page.FillAsync("#text-input", "Another voice.");
        await page.ClickAsync("#generate-btn");
        await page.WaitForSelectorAsync("#audio-section:not(.hidden)", new PageWaitForSelectorOptions { Timeout = 60_000 });
        (await page.TextContentAsync("#status"))!.ShouldNotStartWith("Error");
    }

    [Fact]
    public async Task A_server_error_is_shown_to_the_user()
    {
        IPage page = await OpenAsync();
        await page.FillAsync("#voice-url-input", "not-a-voice");
        await page.ClickAsync("#generate-btn");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Error')");
        (await page.TextContentAsync("#status"))!.ShouldContain("voice_url must start with");
    }
}
