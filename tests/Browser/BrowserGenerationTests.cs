using Microsoft.Playwright;
using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Generation;

namespace PocketTts.Tests.Browser;

/// <summary>
/// The tiny fixture model loaded in the page generates what the same generation gives in .NET, and the demo page
/// loads, speaks and reports its real-time factor.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class BrowserGenerationTests(BrowserHost host)
{
    private const string LoadTiny = """
        await window.pocketTts.loadModel({ config: 'model/tiny/config.yaml', weights: 'model/tiny/model.safetensors',
                                            tokenizer: 'model/tokenizer.model', language: 'english' });
        """;

    [Theory]
    [InlineData("Hello world!", 0f)]
    [InlineData("It costs $5, [pause:200ms] or 3 cats.", 0.7f)]
    public async Task The_page_generates_the_samples_dotnet_generates(string text, float temperature)
    {
        IPage page = await host.OpenDemoAsync();
        var options = new GenerationOptions { Seed = 7, Temperature = temperature };

        float[] inBrowser = await page.EvaluateAsync<float[]>($$"""
            async ([text, temperature]) => {
              {{LoadTiny}}
              const voice = await window.pocketTts.voiceFromUrl('model/voice_state.safetensors');
              const { samples } = await window.pocketTts.generate(text, voice, { seed: 7, temperature });
              return Array.from(samples);
            }
            """, new object[] { text, (double)temperature });

        float[] inDotnet = await GenerateInDotnetAsync(text, options);
        inBrowser.Length.ShouldBe(inDotnet.Length);
        float worst = 0;
        for (int i = 0; i < inDotnet.Length; i++)
            worst = Math.Max(worst, Math.Abs(inBrowser[i] - inDotnet[i]));
        worst.ShouldBeLessThan(1e-3f, "the interpreter and the JIT may round differently, nothing more");
    }

    [Fact]
    public async Task A_voice_made_from_uploaded_wav_bytes_speaks()
    {
        IPage page = await host.OpenDemoAsync();
        int samples = await page.EvaluateAsync<int>($$"""
            async () => {
              {{LoadTiny}}
              const wav = await (await fetch('model/voice.wav')).arrayBuffer();
              const voice = window.pocketTts.voiceFromAudio(wav);
              const { samples } = await window.pocketTts.generate('Hi.', voice, { seed: 1 });
              return samples.length;
            }
            """);
        samples.ShouldBeGreaterThan(0);
        (samples % 1920).ShouldBe(0);
    }

    [Fact]
    public async Task The_demo_page_loads_the_model_speaks_and_reports_the_real_time_factor()
    {
        IPage page = await host.OpenDemoAsync();
        await page.FillAsync("#config", "model/tiny/config.yaml");
        await page.FillAsync("#weights", "model/tiny/model.safetensors");
        await page.FillAsync("#tokenizer", "model/tokenizer.model");
        await page.FillAsync("#voice-url", "model/voice_state.safetensors");
        await page.ClickAsync("#load");
        await page.WaitForFunctionAsync("() => !document.getElementById('speak').disabled", null, new() { Timeout = 120_000 });
        await page.FillAsync("#text", "Hello there.");
        await page.ClickAsync("#speak");
        await page.WaitForFunctionAsync("() => document.body.dataset.lastRtf !== undefined", null, new() { Timeout = 120_000 });

        string status = await page.TextContentAsync("#status") ?? "";
        status.ShouldStartWith("Done:");
        status.ShouldContain("real-time factor");
        (await page.TextContentAsync("#engine") ?? "").ShouldStartWith("Engine: managed");
        (await page.TextContentAsync("#rtf") ?? "").ShouldStartWith("Real-time factor: ");
        double.Parse(await page.EvaluateAsync<string>("() => document.body.dataset.lastRtf"), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Errors_reach_the_page_as_exceptions_with_the_engine_s_message()
    {
        IPage page = await host.OpenDemoAsync();
        string message = await page.EvaluateAsync<string>($$"""
            async () => {
              {{LoadTiny}}
              const voice = await window.pocketTts.voiceFromUrl('model/voice_state.safetensors');
              try { await window.pocketTts.generate('Hello [pause:fast] there', voice, {}); return 'no error'; }
              catch (e) { return e.message; }
            }
            """);
        message.ShouldContain("Malformed pause marker");
    }

    private static async Task<float[]> GenerateInDotnetAsync(string text, GenerationOptions options)
    {
        var source = new ModelSource(BrowserHost.Fixture("tiny/config.yaml"), BrowserHost.Fixture("tiny/model.safetensors"), BrowserHost.Fixture("tokenizer.model"))
        {
            Language = "english",
        };
        await using var model = await PocketTtsModel.LoadAsync(source, new ManagedBackendProvider().Create(new BackendOptions { Threads = 1 }));
        return await model.GenerateAsync(text, model.LoadVoiceState(BrowserHost.Fixture("voice_state.safetensors")), options);
    }
}
