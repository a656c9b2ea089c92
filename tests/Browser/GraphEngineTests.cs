using Microsoft.Playwright;
using PocketTts.Backends;
using PocketTts.Backends.Onnx;
using PocketTts.Generation;

namespace PocketTts.Tests.Browser;

/// <summary>
/// Given a folder of exported graphs, the page runs them on onnxruntime-web (WebAssembly here: headless Chromium has no
/// WebGPU adapter), threaded since the page is cross-origin isolated, and generates what the native ONNX backend
/// generates from the same graphs, seed and voice; a model without reachable graphs falls back to the managed engine.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class GraphEngineTests(BrowserHost host)
{
    // No language, as `pocket-tts generate --config` (no text normaliser), so that both runs speak the same tokens.
    private const string LoadTinyGraphs = """
        await window.pocketTts.loadModel({ config: 'model/tiny/config.yaml', graphs: 'model/graphs/', tokenizer: 'model/tokenizer.model' });
        """;

    [Theory]
    [InlineData("Hello world!", 0.7f)]
    [InlineData("It costs $5, [pause:200ms] or 3 cats.", 0f)]
    public async Task The_page_runs_the_graphs_on_onnxruntime_web_as_the_native_onnx_backend_does(string text, float temperature)
    {
        IPage page = await host.OpenDemoAsync();
        var result = await page.EvaluateAsync<GraphRun>($$"""
            async ([text, temperature]) => {
              {{LoadTinyGraphs}}
              const voice = await window.pocketTts.voiceFromUrl('model/voice_state.safetensors');
              const { samples } = await window.pocketTts.generate(text, voice, { seed: 7, temperature });
              return { engine: window.pocketTts.engine, isolated: self.crossOriginIsolated, samples: Array.from(samples) };
            }
            """, new object[] { text, (double)temperature });

        result.Engine.ShouldBe("onnxruntime-web wasm");
        result.Isolated.ShouldBeTrue("the test server sends COOP/COEP, so onnxruntime-web may use threads");
        float[] native = await GenerateNativeAsync(text, temperature);
        result.Samples.Length.ShouldBe(native.Length);
        float worst = 0;
        for (int i = 0; i < native.Length; i++)
            worst = Math.Max(worst, Math.Abs(result.Samples[i] - native[i]));
        // As the managed engine's browser test: two builds of ONNX Runtime (and WebAssembly SIMD) may round differently.
        worst.ShouldBeLessThan(1e-3f);
    }

    [Fact]
    public async Task A_voice_made_from_wav_bytes_speaks_on_the_graphs()
    {
        IPage page = await host.OpenDemoAsync();
        int samples = await page.EvaluateAsync<int>($$"""
            async () => {
              {{LoadTinyGraphs}}
              const wav = await (await fetch('model/voice.wav')).arrayBuffer();
              const voice = await window.pocketTts.voiceFromAudio(wav);
              const { samples } = await window.pocketTts.generate('Hi.', voice, { seed: 1 });
              return samples.length;
            }
            """);
        samples.ShouldBeGreaterThan(0);
        (samples % 1920).ShouldBe(0);
    }

    [Fact]
    public async Task The_demo_page_shows_the_graph_engine_and_the_live_real_time_factor()
    {
        IPage page = await host.OpenDemoAsync();
        await page.FillAsync("#config", "model/tiny/config.yaml");
        await page.FillAsync("#graphs", "model/graphs/");
        await page.FillAsync("#tokenizer", "model/tokenizer.model");
        await page.FillAsync("#voice-url", "model/voice_state.safetensors");
        await page.ClickAsync("#load");
        await page.WaitForFunctionAsync("() => !document.getElementById('speak').disabled", null, new() { Timeout = 120_000 });
        (await page.TextContentAsync("#engine") ?? "").ShouldBe("Engine: onnxruntime-web wasm");
        await page.FillAsync("#text", "Hello there.");
        await page.ClickAsync("#speak");
        await page.WaitForFunctionAsync("() => document.body.dataset.lastRtf !== undefined", null, new() { Timeout = 120_000 });
        (await page.TextContentAsync("#rtf") ?? "").ShouldMatch(@"^Real-time factor: [0-9.]+×$");
    }

    [Fact]
    public async Task Without_reachable_graphs_the_managed_engine_runs_the_weights()
    {
        IPage page = await host.OpenDemoAsync();
        string engine = await page.EvaluateAsync<string>("""
            async () => {
              await window.pocketTts.loadModel({ config: 'model/tiny/config.yaml', graphs: 'model/no-such-folder/', weights: 'model/tiny/model.safetensors',
                                                  tokenizer: 'model/tokenizer.model', language: 'english' });
              return window.pocketTts.engine;
            }
            """);
        engine.ShouldBe("managed");
    }

    /// <summary>The same generation in .NET on the native ONNX backend, from the same graphs (the folder stands for the weights).</summary>
    private async Task<float[]> GenerateNativeAsync(string text, float temperature)
    {
        var source = new ModelSource(BrowserHost.Fixture("tiny/config.yaml"), host.GraphsFolder, BrowserHost.Fixture("tokenizer.model"));
        await using var model = await PocketTtsModel.LoadAsync(source, new OnnxBackendProvider().Create(new BackendOptions { Threads = 1 }));
        return await model.GenerateAsync(text, model.LoadVoiceState(BrowserHost.Fixture("voice_state.safetensors")), new GenerationOptions { Seed = 7, Temperature = temperature });
    }

    private sealed class GraphRun
    {
        public string Engine { get; set; } = "";

        public bool Isolated { get; set; }

        public float[] Samples { get; set; } = [];
    }
}
