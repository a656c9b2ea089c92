using System.Text.Json.Nodes;
using PocketTts.Backends;
using PocketTts.Generation;
using PocketTts.Model.Graphs;
using PocketTts.Stages;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Voices;
using B = PocketTts.Tests.Parity.Onnx.SyntheticCommunityBundle;

namespace PocketTts.Tests.Parity.Onnx;

/// <summary>
/// The onnx backend on a folder in the community layout (bundle.json), through the stage interfaces only. The bundles
/// are synthetic (see <see cref="SyntheticCommunityBundle"/>): they check the plumbing (which state reaches which
/// input, what carries over, fills, dtypes, layer order, BOS-before-voice, errors), not a real model's numbers.
/// </summary>
public sealed class CommunityBundleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("community-bundle-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Owning Open(bool quantize = false)
    {
        var backend = (IStageBackend)ParityBackends.Create("onnx");
        try
        {
            return new Owning(backend.CreateStages(new ModelSource(Fixture.PathOf("tiny/config.yaml"), _folder, Fixture.PathOf("tokenizer.model"), quantize), ModelDefinition.Instance), backend);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    [Fact]
    public void The_stages_take_their_sizes_from_bundle_json_and_the_state_manifest()
    {
        B.Write(_folder);
        using IModelStages stages = Open();
        stages.FlowLm.ModelDim.ShouldBe(B.Dim);
        stages.FlowLm.LatentDim.ShouldBe(B.LatentDim);
        stages.FlowLm.Layers.ShouldBe(B.Layers);
        stages.FlowLm.Heads.ShouldBe(1);
        stages.FlowLm.HeadDim.ShouldBe(B.HeadDim);
        stages.FlowLm.HasBosBeforeVoice.ShouldBeTrue();
        stages.TextConditioner.EmbeddingDim.ShouldBe(B.Dim);
        stages.TextConditioner.TableRows.ShouldBe(B.TableRows);
        stages.MimiEncoder.LatentDim.ShouldBe(B.Dim);
        stages.MimiEncoder.FrameSamples.ShouldBe(B.FrameSamples);
        stages.MimiDecoder.LatentDim.ShouldBe(B.LatentDim);
        stages.MimiDecoder.FrameSamples.ShouldBe(B.FrameSamples);
    }

    [Fact]
    public void Prompts_fill_every_layer_cache_in_layer_order_and_carry_the_state_between_calls()
    {
        B.Write(_folder);
        using IModelStages stages = Open();
        IFlowLmStage flowLm = stages.FlowLm;
        using IFlowLmState state = flowLm.CreateState(B.Capacity);
        float[] prompt = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];   // 3 rows
        var lastHidden = new float[B.Dim];
        flowLm.Prompt(state, prompt, lastHidden);
        state.Offset.ShouldBe(3);
        // The last row goes alone in a second call, after the first two rows advanced layer 0's step to 2.
        lastHidden.ShouldBe([9 + 2, 10 + 2, 11 + 2, 12 + 2]);

        FlowLmSnapshot snapshot = flowLm.Snapshot(state);
        snapshot.Offset.ShouldBe(3);
        snapshot.Layers.ShouldBe(B.Layers);
        for (int layer = 0; layer < B.Layers; layer++)
        {
            // Written as NaN → fill by the first call, then + 1 row by the second: the NaN fill reached every cache.
            snapshot.Keys[layer].ShouldAllBe(v => v == B.KeyFill(layer) + 1, $"keys of layer {layer}");
            snapshot.Values[layer].ShouldAllBe(v => v == B.ValueFill(layer) + 1, $"values of layer {layer}");
            snapshot.Keys[layer].Length.ShouldBe(3 * B.HeadDim);
        }

        // A prompt without lastHidden is one call: the caches move by its rows.
        flowLm.Prompt(state, new float[2 * B.Dim], []);
        state.Offset.ShouldBe(5);
        FlowLmSnapshot after = flowLm.Snapshot(state);
        after.Keys[10].ShouldAllBe(v => v == B.KeyFill(10) + 1 + 2);
        after.Values[2].ShouldAllBe(v => v == B.ValueFill(2) + 1 + 2);
    }

    [Fact]
    public void A_step_feeds_the_latent_as_sequence_runs_the_lsd_loop_and_a_snapshot_restores_positions_and_caches()
    {
        B.Write(_folder);
        using IModelStages stages = Open();
        IFlowLmStage flowLm = stages.FlowLm;
        using IFlowLmState prompted = flowLm.CreateState(B.Capacity);
        flowLm.Prompt(prompted, new float[3 * B.Dim], []);
        FlowLmSnapshot voice = flowLm.Snapshot(prompted);

        using IFlowLmState state = flowLm.CreateState(voice, B.Capacity);
        state.Offset.ShouldBe(3);
        float[] noise = [0.5f, -1f];
        var latent = new float[B.LatentDim];
        var hidden = new float[B.Dim];
        float eos = flowLm.SampleNextLatent(state, [float.NaN, float.NaN], noise, 4, latent, hidden);

        // NaN → BOS (7) through W, plus layer 0's restored step (3).
        hidden.ShouldBe([10f, 10f, 10f, 10f]);
        eos.ShouldBe(40f);
        latent.ShouldBe(Lsd(hidden, noise, 4), 1e-6);
        state.Offset.ShouldBe(4);

        FlowLmSnapshot after = flowLm.Snapshot(state);
        for (int layer = 0; layer < B.Layers; layer++)
        {
            float[] keys = after.Keys[layer], values = after.Values[layer];
            keys.AsSpan(0, 3 * B.HeadDim).ToArray().ShouldAllBe(v => v == B.KeyFill(layer) + 1, $"restored keys of layer {layer}");
            keys.AsSpan(3 * B.HeadDim).ToArray().ShouldAllBe(v => v == B.KeyFill(layer), $"new row of layer {layer}");
            values.AsSpan(0, 3 * B.HeadDim).ToArray().ShouldAllBe(v => v == B.ValueFill(layer) + 1);
        }

        // A real latent goes in as it is: [x0, x1, x0, x1] + step 4.
        flowLm.SampleNextLatent(state, [1f, 2f], noise, 1, latent, hidden);
        hidden.ShouldBe([5f, 6f, 5f, 6f]);
        latent.ShouldBe(Lsd(hidden, noise, 1), 1e-6);
    }

    [Fact]
    public void The_voice_prompt_is_the_bos_before_voice_row_then_the_projected_encoder_latents()
    {
        B.Write(_folder);
        using IModelStages stages = Open();
        float[] audio = [.. Enumerable.Range(0, 2 * B.FrameSamples + 3).Select(i => (float)i)];
        int frames = stages.MimiEncoder.LatentFrames(audio.Length);
        frames.ShouldBe(3);
        var latents = new float[frames * stages.MimiEncoder.LatentDim];
        stages.MimiEncoder.Encode(audio, latents);
        float[] sums = [28f, 92f, 16f + 17f + 18f];   // the last frame is zero-padded
        latents.ShouldBe([.. sums.SelectMany(s => new[] { s, 2 * s, 3 * s, 4 * s })]);

        stages.FlowLm.VoicePromptRows(frames).ShouldBe(4);
        var conditioning = new float[4 * B.Dim];
        stages.FlowLm.ConditionVoice(latents, conditioning);
        conditioning.AsSpan(0, B.Dim).ToArray().ShouldBe(B.BosBeforeVoice);
        conditioning.AsSpan(B.Dim).ToArray().ShouldBe(latents);
    }

    [Fact]
    public void Text_embeddings_are_the_graph_rows_and_quantize_prefers_the_int8_file()
    {
        B.Write(_folder, int8: true);
        int[] ids = [0, 3, B.TableRows - 1];
        foreach ((bool quantize, float scale) in new[] { (false, 1f), (true, 2f) })
        {
            using IModelStages stages = Open(quantize);
            var embeddings = new float[ids.Length * B.Dim];
            stages.TextConditioner.Embed(ids, embeddings);
            embeddings.ShouldBe([.. ids.SelectMany(r => Enumerable.Range(0, B.Dim).Select(j => scale * ((10f * r) + j)))], $"quantize {quantize}");
            Should.Throw<ArgumentOutOfRangeException>(() => stages.TextConditioner.Embed([B.TableRows], new float[B.Dim]));
        }
    }

    [Fact]
    public void The_decoder_carries_bool_float_nan_and_int64_states_between_frames_and_resets_them()
    {
        B.Write(_folder);
        using IModelStages stages = Open();
        IMimiDecoderStage decoder = stages.MimiDecoder;
        using IMimiDecoderState state = decoder.CreateState();
        for (int pass = 0; pass < 2; pass++)
        {
            var audio = new float[B.FrameSamples];
            decoder.DecodeFrame(state, [1f, 2f], audio);
            // first = true (ones), offset 0, 16 NaN cache cells (−1 each), previous zeros.
            audio.ShouldBe([.. Enumerable.Range(0, B.FrameSamples).Select(k => k + 3f + 100f - 16f)], $"pass {pass}, frame 0");
            decoder.DecodeFrame(state, [0.5f, 0.25f], audio);
            // first = false, offset 1, cache cells 1, previous 6 cells of 3.
            audio.ShouldBe([.. Enumerable.Range(0, B.FrameSamples).Select(k => k + 0.75f + 10f + 16f + 18f)], $"pass {pass}, frame 1");
            state.FramesDecoded.ShouldBe(2);
            state.Reset();
            state.FramesDecoded.ShouldBe(0);
        }
    }

    [Fact]
    public async Task A_model_loads_the_bundle_clones_a_voice_and_generates_through_every_stage()
    {
        const int Capacity = 256;
        B.Write(_folder, capacity: Capacity);
        var source = new ModelSource(Fixture.PathOf("tiny/config.yaml"), _folder, Fixture.PathOf("tokenizer.model"));
        await using PocketTtsModel model = await PocketTtsModel.LoadAsync(source, ParityBackends.Create("onnx"));

        // 20 samples at 24 kHz: 3 encoder frames, so the voice prompt is BOS-before-voice + 3 rows.
        VoiceState voice = model.CreateVoiceState([.. Enumerable.Range(0, 20).Select(i => 0.01f * i)], 24000);
        voice.Length.ShouldBe(4);
        string file = Path.Combine(_folder, "voice.safetensors");
        PocketTtsModel.SaveVoiceState(voice, file);
        VoiceState loaded = model.LoadVoiceState(file);
        loaded.Length.ShouldBe(4);

        // The synthetic EOS logit is large from the first step; it counts from step 6 on (pocket-tts 3.x), so generation
        // stops two frames after that. (MaxFrames would be about 30 frames: 8 shows the EOS logit reached the pipeline.)
        float[] audio = await model.GenerateAsync("Hello.", loaded, new GenerationOptions { FramesAfterEos = 2 });
        audio.Length.ShouldBe(8 * B.FrameSamples);
        audio.ShouldAllBe(v => float.IsFinite(v));
    }

    [Fact]
    public void A_state_beyond_the_exported_cache_length_is_refused_with_the_limit()
    {
        B.Write(_folder);
        using IModelStages stages = Open();
        var e = Should.Throw<ArgumentOutOfRangeException>(() => stages.FlowLm.CreateState(B.Capacity + 1));
        e.Message.ShouldContain($"hold {B.Capacity} positions");
        using IFlowLmState state = stages.FlowLm.CreateState(B.Capacity);
        FillToCapacity(stages.FlowLm, state);
        Should.Throw<InvalidOperationException>(() => stages.FlowLm.SampleNextLatent(state, [0f, 0f], [0f, 0f], 1, new float[2], []));

        static void FillToCapacity(IFlowLmStage flowLm, IFlowLmState state) => flowLm.Prompt(state, new float[B.Capacity * B.Dim], []);
    }

    [Fact]
    public void A_missing_graph_is_named()
    {
        B.Write(_folder);
        File.Delete(Path.Combine(_folder, "flow_lm_flow.onnx"));
        var e = Should.Throw<FileNotFoundException>(() => Open());
        e.Message.ShouldContain(Path.Combine(_folder, "flow_lm_flow.onnx"));
    }

    [Fact]
    public void An_unknown_fill_kind_names_bundle_json_the_state_and_the_kind()
    {
        B.Write(_folder);
        EditBundle(json => json["mimi_state_manifest"]![1]!["fill"] = "mixed");
        var e = Should.Throw<InvalidDataException>(() => Open());
        e.Message.ShouldContain("bundle.json");
        e.Message.ShouldContain("mimi_state_manifest[1] (decoder.model.0.conv/previous)");
        e.Message.ShouldContain("'mixed'");
    }

    [Fact]
    public void A_graph_whose_state_shape_disagrees_with_the_manifest_names_both_shapes()
    {
        B.Write(_folder, graphCapacity: B.Capacity + 1);
        var e = Should.Throw<InvalidDataException>(() => Open());
        e.Message.ShouldContain("flow_lm_main.onnx declares 'state_0' as Float [2, 1, 9, 1, 2]");
        e.Message.ShouldContain("transformer.layers.0.self_attn/cache as Float [2, 1, 8, 1, 2]");
    }

    [Fact]
    public void A_manifest_state_the_graph_lacks_is_named()
    {
        B.Write(_folder);
        EditBundle(json => ((JsonArray)json["mimi_state_manifest"]!).Add(new JsonObject
        {
            ["module"] = "decoder.model.9.conv",
            ["key"] = "previous",
            ["dtype"] = "float32",
            ["shape"] = new JsonArray(1, 2),
            ["fill"] = "zeros",
        }));
        var e = Should.Throw<InvalidDataException>(() => Open());
        e.Message.ShouldContain("mimi_decoder.onnx has no 'state_4'");
        e.Message.ShouldContain("decoder.model.9.conv/previous");
    }

    [Fact]
    public void A_bos_before_voice_row_of_the_wrong_width_is_refused()
    {
        B.Write(_folder);
        B.WriteNpy(Path.Combine(_folder, "bos_before_voice.npy"), [1f, 2f, 3f], 1, 1, 3);
        var e = Should.Throw<InvalidDataException>(() => Open());
        e.Message.ShouldContain("bos_before_voice.npy has shape (1, 1, 3)");
        e.Message.ShouldContain($"conditioning_dim = {B.Dim}");
    }

    private void EditBundle(Action<JsonObject> edit)
    {
        string path = Path.Combine(_folder, "bundle.json");
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    /// <summary>LsdDecode with the synthetic flow net (c[:2] + s + 2t + x/2), in the stage's float arithmetic.</summary>
    private static float[] Lsd(float[] c, float[] noise, int steps)
    {
        float[] x = [.. noise];
        float scale = 1f / steps;
        for (int i = 0; i < steps; i++)
        {
            float s = (float)((double)i / steps), t = (float)((double)(i + 1) / steps);
            float[] flow = [.. Enumerable.Range(0, x.Length).Select(j => c[j] + s + (t * 2f) + (x[j] * 0.5f))];
            for (int j = 0; j < x.Length; j++)
                x[j] += flow[j] * scale;
        }
        return x;
    }

    [Fact]
    public void A_step_and_a_decoded_frame_allocate_nothing_once_the_state_exists()
    {
        B.Write(_folder);
        using IModelStages stages = Open();
        IFlowLmStage flowLm = stages.FlowLm;
        using IFlowLmState state = flowLm.CreateState(capacity: 8);
        float[] latent = [.. Enumerable.Repeat(float.NaN, flowLm.LatentDim)], noise = [.. Enumerable.Repeat(0.5f, flowLm.LatentDim)];
        var output = new float[flowLm.LatentDim];
        var hidden = new float[flowLm.ModelDim];
        IMimiDecoderStage decoder = stages.MimiDecoder;
        using IMimiDecoderState frames = decoder.CreateState();
        var audio = new float[decoder.FrameSamples];
        for (int i = 0; i < 3; i++)
        {
            flowLm.SampleNextLatent(state, latent, noise, 4, output, hidden);   // warm up (JIT, ONNX Runtime's first runs)
            decoder.DecodeFrame(frames, output, audio);
        }

        Allocation.Measure(() => flowLm.SampleNextLatent(state, output, noise, 4, output, hidden)).ShouldBe(0);
        Allocation.Measure(() => decoder.DecodeFrame(frames, output, audio)).ShouldBe(0);
    }

    private sealed class Owning(IModelStages stages, IBackend backend) : IModelStages
    {
        public ITextConditionerStage TextConditioner => stages.TextConditioner;

        public IFlowLmStage FlowLm => stages.FlowLm;

        public IMimiEncoderStage MimiEncoder => stages.MimiEncoder;

        public IMimiDecoderStage MimiDecoder => stages.MimiDecoder;

        public void Dispose()
        {
            stages.Dispose();
            backend.Dispose();
        }
    }
}
