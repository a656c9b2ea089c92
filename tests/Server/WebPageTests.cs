using System.Net;
using Microsoft.Playwright;
using PocketTts.Audio.Encoders;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;
using Xunit.Abstractions;

namespace PocketTts.Tests.Server;

/// <summary>
/// The page at <c>/</c> in Debian's headless Chromium (Playwright drives it; no browser is downloaded), against a
/// real server on loopback with the tiny model: each control is used as a person would, and the audio that comes back
/// is checked against what the model generates. Screenshots go to artifacts/test-results/screenshots/.
/// </summary>
public sealed class WebPageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Text = "Hello from the browser.";

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

    [Fact]
    public async Task Ctrl_enter_generates_the_wav_plays_from_the_first_chunk_and_a_seed_gives_the_same_audio()
    {
        IPage page = await OpenAsync();
        await page.FillAsync("#text-input", Text);
        await page.FillAsync("#seed-input", "11");
        await page.PressAsync("#text-input", "Control+Enter");
        byte[] first = await AudioAsync(page);

        AudioDecoding.Wav(first).ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync(Text, seed: 11)));
        (await page.EvaluateAsync<string>("() => document.body.dataset.contentType")).ShouldBe("audio/wav");
        long streamed = long.Parse(await page.EvaluateAsync<string>("() => document.body.dataset.streamedBytes"), System.Globalization.CultureInfo.InvariantCulture);
        streamed.ShouldBe(first.Length, "the player was given every byte of the response");
        long startedAfter = long.Parse(await page.EvaluateAsync<string>("() => document.body.dataset.playbackStartedAfterBytes"), System.Globalization.CultureInfo.InvariantCulture);
        startedAfter.ShouldBeLessThan(streamed, "playback is scheduled as the first audio arrives, not after the response");

        // The audio element holds the result: press play, and it must advance (or finish).
        await page.EvaluateAsync("() => document.getElementById('audio').play()");
        await page.WaitForFunctionAsync("() => { const a = document.getElementById('audio'); return a.ended || a.currentTime > 0.3; }", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        await SaveScreenshotAsync(page, "web-page.png");

        await page.ClickAsync("#generate-btn");
        (await AudioAsync(page)).ShouldBe(first, "the same seed gives the same bytes");
    }

    [Theory]
    [InlineData("pcm", 2f, "audio/pcm")]
    [InlineData("opus", 0.5f, "audio/ogg")]
    public async Task The_chosen_format_and_speed_are_what_comes_back(string format, float speed, string contentType)
    {
        IPage page = await OpenAsync();
        await page.FillAsync("#text-input", Text);
        await page.FillAsync("#seed-input", "3");
        await page.SelectOptionAsync("#format-select", format);
        await page.FillAsync("#speed-input", speed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("#generate-btn");
        byte[] audio = await AudioAsync(page);

        (await page.EvaluateAsync<string>("() => document.body.dataset.contentType")).ShouldBe(contentType);
        (await page.GetAttributeAsync("#download-link", "download")).ShouldBe($"tts-audio.{format}");
        int samples = format == "pcm" ? AudioDecoding.Pcm16(audio).Length : OggOpusReader.Decode(audio).Samples.Length;
        float[] normal = await _server.ExpectedAsync(Text, seed: 3);
        samples.ShouldBe((int)Math.Round(normal.Length / speed));
        // The element plays what was received (raw pcm behind a WAV header the page writes).
        await page.WaitForFunctionAsync("() => document.getElementById('audio').duration > 0");
        (await page.EvaluateAsync<double>("() => document.getElementById('audio').duration")).ShouldBe(samples / 24000.0, tolerance: 0.05);
    }

    [Fact]
    public async Task Live_mode_speaks_while_the_text_is_typed_and_the_audio_is_the_whole_text_s()
    {
        // As in SpeechStreamTests: the first chunk (the first round of sentences) is final once a sentence of the second
        // round is complete, so its audio can come while the rest is being typed.
        const string sentences = "Hello there! How are you doing today? I hope the weather is nice where you are... "
            + "Let us see how this text gets split into chunks! Is it working? ";
        string text = sentences + sentences + "And that is all.";
        IPage page = await OpenAsync();
        await page.FillAsync("#text-input", "");
        await page.FillAsync("#seed-input", "7");
        await page.CheckAsync("#live-input");
        await page.Locator("#text-input").PressSequentiallyAsync(text, new LocatorPressSequentiallyOptions { Delay = 15 });
        await page.WaitForFunctionAsync("() => window.liveSession.firstAudioAfterChars !== null", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        int firstAudioAfter = await page.EvaluateAsync<int>("() => window.liveSession.firstAudioAfterChars");
        firstAudioAfter.ShouldBeLessThan((sentences + sentences).Length, "the first audio came before the last sentence was typed");

        await page.UncheckAsync("#live-input"); // sends the last word and close: the rest is spoken
        byte[] audio = await AudioAsync(page);

        AudioDecoding.Pcm16(audio).ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync(text, seed: 7)));
        (await page.EvaluateAsync<string>("() => document.body.dataset.liveAudioBytes")).ShouldBe(audio.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string[] chunks = await page.EvaluateAsync<string[]>("() => window.liveSession.chunks");
        chunks.Length.ShouldBe(3);
        chunks[0].ShouldBe("Hello there!  How are you doing today?  I hope the weather is nice where you are...  Let us see how this text gets split into chunks!  Is it working?");
        chunks[2].ShouldBe("And that is all.");
        (await page.TextContentAsync("#status")).ShouldBe($"Live session done: {audio.Length / 2 / 1920} frames.");
        (await page.TextContentAsync("#generate-btn")).ShouldBe("Generate audio");
        await SaveScreenshotAsync(page, "web-page-live.png");
    }

    [Fact]
    public async Task In_live_mode_ctrl_enter_speaks_what_is_pending_and_the_next_text_is_a_new_one()
    {
        IPage page = await OpenAsync();
        await page.FillAsync("#text-input", "");
        await page.CheckAsync("#live-input");
        (await page.TextContentAsync("#generate-btn")).ShouldBe("Speak now");
        await page.Locator("#text-input").PressSequentiallyAsync("Hello there");
        await page.PressAsync("#text-input", "Control+Enter");
        // Without the flush, "Hello there" would wait for more text. (chunk_finished only comes once the next chunk
        // starts or the input ends: the server cannot tell a chunk's last frame before that.)
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent === 'Speaking: Hello there.' && window.liveSession.audioBytes > 0",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });

        await page.Locator("#text-input").PressSequentiallyAsync(" how are you");
        await page.UncheckAsync("#live-input");
        await AudioAsync(page);
        (await page.EvaluateAsync<string[]>("() => window.liveSession.chunks")).ShouldBe(["Hello there.", "How are you."], "each turn is a text of its own");
    }

    [Fact]
    public async Task A_live_session_s_error_is_shown_in_the_error_box_and_ends_live_mode()
    {
        IPage page = await OpenAsync();
        await page.SelectOptionAsync("#voice-select", new SelectOptionValue { Value = "" });
        await page.FillAsync("#voice-url-input", "nobody");
        // A click, not CheckAsync: CheckAsync fails when the box is no longer checked after the click, and the error
        // this test provokes may already have ended live mode (and cleared the box) by the time it looks.
        await page.ClickAsync("#live-input");
        await page.WaitForSelectorAsync("#error:not(.hidden)");

        (await page.TextContentAsync("#error"))!.ShouldContain("nobody");
        (await page.IsCheckedAsync("#live-input")).ShouldBeFalse();
        (await page.TextContentAsync("#generate-btn")).ShouldBe("Generate audio");
    }

    [Fact]
    public async Task The_default_voice_is_listed_once_and_a_chosen_voice_is_used()
    {
        IPage page = await OpenAsync();
        await page.WaitForSelectorAsync("#voice-select option[value='ref']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        (await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#voice-select option')].map(o => `${o.value}=${o.textContent}`)"))
            .ShouldBe(["=tiny (default)", "ref=ref (directory)"]);

        await page.SelectOptionAsync("#voice-select", "ref");
        await page.FillAsync("#text-input", "Another voice.");
        await page.FillAsync("#seed-input", "1");
        await page.ClickAsync("#generate-btn");
        AudioDecoding.Wav(await AudioAsync(page)).ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync("Another voice.", seed: 1, voice: "ref")));
    }

    [Theory]
    [InlineData("#voice-url-input", "not-a-voice", "voice_url must start with")]
    [InlineData("#speed-input", "9", "speed 9 is out of range: use 0.25 to 4")]
    public async Task A_server_error_is_shown_as_an_error_apart_from_the_status_line(string control, string value, string message)
    {
        IPage page = await OpenAsync();
        await page.FillAsync(control, value);
        await page.ClickAsync("#generate-btn");
        await page.WaitForSelectorAsync("#error:not(.hidden)");

        (await page.TextContentAsync("#error"))!.ShouldContain(message);
        (await page.GetAttributeAsync("#error", "role")).ShouldBe("alert");
        (await page.TextContentAsync("#status")).ShouldBe("");
        string color = await page.EvalOnSelectorAsync<string>("#error", "e => getComputedStyle(e).color");
        color.ShouldNotBe(await page.EvalOnSelectorAsync<string>("#status", "e => getComputedStyle(e).color"));
        await SaveScreenshotAsync(page, $"web-page-error-{control.TrimStart('#')}.png");

        // The next success clears it.
        await page.FillAsync(control, control == "#speed-input" ? "1" : "");
        await page.ClickAsync("#generate-btn");
        await AudioAsync(page);
        (await page.IsVisibleAsync("#error")).ShouldBeFalse();
    }

    [Fact]
    public async Task Every_control_is_labelled_the_language_and_formats_are_the_server_s_and_nothing_404s()
    {
        var failed = new List<string>();
        IPage page = await _chromium.Browser.NewPageAsync();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                failed.Add($"{response.Status} {response.Url}");
        };
        await page.GotoAsync(_server.BaseAddress.ToString());
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        (await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('input, select, textarea')].filter(e => e.labels.length === 0).map(e => e.id)"))
            .ShouldBeEmpty("every control has a <label for>");
        (await page.GetAttributeAsync("#generate-btn", "aria-keyshortcuts")).ShouldBe("Control+Enter Meta+Enter");
        (await page.TextContentAsync("#language"))!.ShouldContain(_server.Model.Language ?? "--config");
        (await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#format-select option')].map(o => o.value)"))
            .ShouldBe([.. _server.Speech.Encoders.Available.Select(f => f.Name())]);
        (await page.InputValueAsync("#format-select")).ShouldBe("wav");
        failed.ShouldBeEmpty();

        using HttpResponseMessage icon = await _server.Http.GetAsync("/favicon.ico");
        icon.StatusCode.ShouldBe(HttpStatusCode.OK);
        icon.Content.Headers.ContentType!.MediaType.ShouldBe("image/x-icon");
        byte[] ico = await icon.Content.ReadAsByteArrayAsync();
        ico[..4].ShouldBe(new byte[] { 0, 0, 1, 0 }, "an ICO header, one image");
        ico[22..26].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, "holding a PNG");
    }

    private async Task<IPage> OpenAsync()
    {
        IPage page = await _chromium.Browser.NewPageAsync();
        await page.GotoAsync(_server.BaseAddress.ToString());
        return page;
    }

    /// <summary>Waits for the audio to be ready, then returns the bytes behind the download link.</summary>
    private static async Task<byte[]> AudioAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => !document.getElementById('generate-btn').disabled && !document.getElementById('audio-section').classList.contains('hidden')",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        (await page.IsVisibleAsync("#error")).ShouldBeFalse(await page.TextContentAsync("#error"));
        return Convert.FromBase64String(await page.EvaluateAsync<string>("""
            async () => {
              const bytes = new Uint8Array(await (await fetch(document.getElementById('download-link').href)).arrayBuffer());
              let binary = '';
              for (const b of bytes) binary += String.fromCharCode(b);
              return btoa(binary);
            }
            """));
    }

    private async Task SaveScreenshotAsync(IPage page, string name)
    {
        string path = Path.Combine(RepoPaths.Root, "artifacts", "test-results", "screenshots", name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
