using System.Text.Json;
using PocketTts.Generation;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.EndToEnd;

/// <summary>
/// generate_audio on the tiny model with the reference's recorded noise: the chunking, the EOS steps, the frame
/// and sample counts must match exactly, and the audio within 5e-5 per sample (fixture README, end to end).
/// </summary>
public class EndToEndParityTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string backend in ParityBackends.AvailableNames)
        {
            data.Add(backend, "e2e_short.safetensors", "tokenizer.model");
            data.Add(backend, "e2e_long.safetensors", "tokenizer.model");
            data.Add(backend, "e2e_long_tokenizer_B.safetensors", "tokenizer_variants/dummy_prefix.model");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Generation_matches_the_reference_chunk_by_chunk(string backendName, string fixture, string tokenizer)
    {
        using SafeTensorsFile expected = Fixture.Open(fixture);
        int chunks = expected.Names.Count(n => n.EndsWith("/tokens", StringComparison.Ordinal));
        var noiseRows = new List<float[]>();
        for (int k = 0; k < chunks; k++)
        {
            float[] recorded = expected.Floats($"chunk{k}/steps/noise");
            for (int r = 0; r < recorded.Length / 32; r++)
                noiseRows.Add(recorded[(r * 32)..((r + 1) * 32)]);
        }
        var source = TinyModel.Source(tokenizer);
        using var model = await PocketTtsModel.LoadAsync(source, ParityBackends.Create(backendName));
        var voice = model.LoadVoiceState(Fixture.PathOf("voice_state.safetensors"));
        string text = TextOf(fixture);
        // The default options, as every entry point uses them: no pause or normalisation setting is needed to get the
        // reference's chunks and audio.
        var options = new GenerationOptions { MaxTokensPerChunk = 15 };

        var plan = model.Plan(text, options).Cast<ChunkPlan>().ToList();
        plan.Count.ShouldBe(chunks);
        for (int k = 0; k < chunks; k++)
            plan[k].TokenIds.ShouldBe(expected.Ints($"chunk{k}/tokens"), $"chunk {k} tokens");

        var noise = new RecordedNoise(noiseRows);
        var perChunk = new List<float>[chunks];
        for (int k = 0; k < chunks; k++)
            perChunk[k] = [];
        await foreach (AudioChunk chunk in model.GenerateStreamingAsync(text, voice, options, noise))
            perChunk[chunk.TextChunk].AddRange(chunk.Samples);

        noise.Used.ShouldBe(noiseRows.Count, "every recorded step ran, and no more");
        for (int k = 0; k < chunks; k++)
        {
            float[] reference = expected.Floats($"chunk{k}/audio");
            perChunk[k].Count.ShouldBe(reference.Length, $"chunk {k} sample count");
            perChunk[k].ToArray().ShouldBeClose(reference, 5e-5f, $"{fixture} chunk {k} audio");
        }
    }

    public static TheoryData<string> Backends()
    {
        var data = new TheoryData<string>();
        foreach (string backend in ParityBackends.AvailableNames)
            data.Add(backend);
        return data;
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_voice_state_computed_from_audio_matches_the_reference_export(string backendName)
    {
        var source = TinyModel.Source();
        using var model = await PocketTtsModel.LoadAsync(source, ParityBackends.Create(backendName));
        using SafeTensorsFile inputs = Fixture.Open("voice_state_inputs.safetensors");

        var voice = model.CreateVoiceState(inputs.Floats("audio"), 24000);
        var reference = model.LoadVoiceState(Fixture.PathOf("voice_state.safetensors"));

        voice.Length.ShouldBe(reference.Length);
        for (int layer = 0; layer < reference.Snapshot.Layers; layer++)
        {
            voice.Snapshot.Keys[layer].ShouldBeClose(reference.Snapshot.Keys[layer], 5e-5f, $"layer {layer} keys");
            voice.Snapshot.Values[layer].ShouldBeClose(reference.Snapshot.Values[layer], 5e-5f, $"layer {layer} values");
        }
    }

    private static string TextOf(string fixture)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture.PathOf("e2e.json")));
        string run = Path.GetFileNameWithoutExtension(fixture);
        return doc.RootElement.GetProperty("runs").GetProperty(run).GetProperty("text").GetString()!;
    }
}
