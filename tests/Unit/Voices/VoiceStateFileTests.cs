using PocketTts.Stages;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Tests.Unit.Weights;
using PocketTts.Voices;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Voices;

public class VoiceStateFileTests
{
    private const string Layer0 = "transformer.layers.0.self_attn";
    private const string Layer1 = "transformer.layers.1.self_attn";

    private static string FixturePath(string name) => RepoPaths.Fixture(name);

    private static FlowLmSnapshot RandomSnapshot(int layers, int offset, int heads, int headDim, int seed)
    {
        var random = new Random(seed);
        float[] Values() => [.. Enumerable.Range(0, offset * heads * headDim).Select(_ => (float)random.NextDouble() * 2 - 1)];
        return new FlowLmSnapshot(offset, heads, headDim, [.. Enumerable.Range(0, layers).Select(_ => Values())], [.. Enumerable.Range(0, layers).Select(_ => Values())]);
    }

    private static void ShouldBeSame(FlowLmSnapshot actual, FlowLmSnapshot expected)
    {
        actual.Offset.ShouldBe(expected.Offset);
        actual.Heads.ShouldBe(expected.Heads);
        actual.HeadDim.ShouldBe(expected.HeadDim);
        actual.Layers.ShouldBe(expected.Layers);
        for (int layer = 0; layer < expected.Layers; layer++)
        {
            actual.Keys[layer].ShouldBe(expected.Keys[layer], $"keys of layer {layer}");
            actual.Values[layer].ShouldBe(expected.Values[layer], $"values of layer {layer}");
        }
    }

    [Fact]
    public void The_reference_voice_state_reads_as_24_positions_of_2_layers_with_keys_then_values()
    {
        // 1 BOS + 23 latent frames of the clip trimmed to end on a pause (43680 samples).
        FlowLmSnapshot s = VoiceStateFile.Read(FixturePath("voice_state.safetensors"));
        s.Offset.ShouldBe(24);
        s.Layers.ShouldBe(2);
        s.Heads.ShouldBe(2);
        s.HeadDim.ShouldBe(64);
        using var file = SafeTensorsFile.Open(FixturePath("voice_state.safetensors"));
        for (int layer = 0; layer < 2; layer++)
        {
            float[] cache = WeightConversion.ToFloat32(file[$"transformer.layers.{layer}.self_attn/cache"]);
            s.Keys[layer].ShouldBe(cache[..(24 * 128)]);
            s.Values[layer].ShouldBe(cache[(24 * 128)..]);
        }
        s.Keys[0].ShouldNotBe(s.Values[0]);
    }

    [Fact]
    public void The_legacy_layout_reads_the_same_state_taking_the_offset_from_the_length_of_current_end()
    {
        FlowLmSnapshot modern = VoiceStateFile.Read(FixturePath("voice_state.safetensors"));
        ShouldBeSame(VoiceStateFile.Read(FixturePath("voice_state_legacy.safetensors")), modern);
        ShouldBeSame(VoiceStateFile.Read(File.ReadAllBytes(FixturePath("voice_state_legacy.safetensors"))), modern);
    }

    [Fact]
    public void The_states_of_the_flow_lm_fixture_read_as_voice_states()
    {
        // flow_lm.safetensors keeps the caches after the text pass (33 positions) under a prefix.
        using var fixture = SafeTensorsFile.Open(FixturePath("flow_lm.safetensors"));
        const string prefix = "state_after_text/";
        var writer = new SafeTensorsWriter();
        foreach (string name in fixture.Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
            writer.Add(name[prefix.Length..], fixture[name]);
        FlowLmSnapshot s = VoiceStateFile.Read(writer.ToBytes());
        s.Offset.ShouldBe(33);
        s.Layers.ShouldBe(2);
        float[] cache = WeightConversion.ToFloat32(fixture[prefix + "transformer.layers.1.self_attn/cache"]);
        s.Keys[1].ShouldBe(cache.AsSpan(0, 33 * 128).ToArray());
        s.Values[1].ShouldBe(cache.AsSpan(33 * 128).ToArray());
        // The first 22 positions are the voice prompt's: the state after the voice pass, up to float32 differences.
        var voiceWriter = new SafeTensorsWriter();
        foreach (string name in fixture.Names.Where(n => n.StartsWith("state_after_voice/", StringComparison.Ordinal)))
            voiceWriter.Add(name["state_after_voice/".Length..], fixture[name]);
        FlowLmSnapshot voice = VoiceStateFile.Read(voiceWriter.ToBytes());
        voice.Offset.ShouldBe(22);
        s.Keys[0].AsSpan(0, 22 * 128).ToArray().ShouldBe(voice.Keys[0], 5e-5f);
    }

    [Theory]
    [InlineData("upstream-3x/voice_state_lsd.safetensors")]
    [InlineData("voice_state.safetensors")]
    public void Writing_the_3x_reference_state_reproduces_the_reference_file_byte_for_byte(string fixture)
    {
        byte[] reference = File.ReadAllBytes(FixturePath(fixture));

        byte[] written = VoiceStateFile.ToBytes(VoiceStateFile.Read(reference));

        // Same tensors, each layer's offset then its pad (I64 first, by name, as the safetensors library sorts), same header.
        written.ShouldBe(reference);
    }

    [Fact]
    public void A_2x_state_is_written_again_in_the_3x_layout_with_the_same_cache_and_offset()
    {
        // A 2.x file: the reference state without the pads that 3.x writes.
        using var state = SafeTensorsFile.Open(FixturePath("voice_state.safetensors"));
        var twoX = new SafeTensorsWriter();
        foreach (string name in state.Names.Where(n => !n.EndsWith("/pad", StringComparison.Ordinal)))
            twoX.Add(name, state[name]);
        byte[] reference = twoX.ToBytes();

        byte[] written = VoiceStateFile.ToBytes(VoiceStateFile.Read(reference));

        using var a = SafeTensorsFile.FromBytes(written);
        using var b = SafeTensorsFile.FromBytes(reference);
        b.Names.ShouldNotContain(n => n.EndsWith("/pad", StringComparison.Ordinal));
        a.Names.Where(n => !n.EndsWith("/pad", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ShouldBe(b.Names.Order(StringComparer.Ordinal));
        foreach (string name in b.Names)
        {
            a[name].DType.ShouldBe(b[name].DType, name);
            a[name].Shape.ShouldBe(b[name].Shape, name);
            a[name].Data.ToArray().ShouldBe(b[name].Data.ToArray(), name);
        }
        foreach (string pad in a.Names.Where(n => n.EndsWith("/pad", StringComparison.Ordinal)))
        {
            a[pad].DType.ShouldBe(TensorDType.I64);
            a[pad].Data.ToArray().ShouldBe(new byte[8], pad);
        }
        a.Names.Count(n => n.EndsWith("/pad", StringComparison.Ordinal)).ShouldBe(b.Names.Count(n => n.EndsWith("/offset", StringComparison.Ordinal)));
    }

    [Fact]
    public void Snapshots_round_trip_through_bytes_files_and_streams()
    {
        FlowLmSnapshot s = RandomSnapshot(layers: 12, offset: 5, heads: 3, headDim: 4, seed: 1);
        ShouldBeSame(VoiceStateFile.Read(VoiceStateFile.ToBytes(s)), s);

        using var folder = new TempFolder();
        string path = folder.File("voice.safetensors");
        VoiceStateFile.Write(s, path);
        Directory.GetFiles(folder.Path).ShouldBe([path]);
        ShouldBeSame(VoiceStateFile.Read(path), s);
        VoiceStateFile.Write(RandomSnapshot(1, 2, 1, 2, seed: 2), path);   // overwriting replaces the whole file
        VoiceStateFile.Read(path).Layers.ShouldBe(1);

        using var stream = new MemoryStream();
        VoiceStateFile.WriteTo(s, stream);
        stream.ToArray().ShouldBe(VoiceStateFile.ToBytes(s));
    }

    [Fact]
    public void Files_name_layers_as_the_reference_does_and_order_them_as_its_safetensors_library()
    {
        byte[] bytes = VoiceStateFile.ToBytes(RandomSnapshot(layers: 11, offset: 1, heads: 1, headDim: 1, seed: 3));
        using var file = SafeTensorsFile.FromBytes(bytes);
        file.Names.Count.ShouldBe(33);
        file["transformer.layers.10.self_attn/pad"].DType.ShouldBe(TensorDType.I64);
        file["transformer.layers.10.self_attn/offset"].DType.ShouldBe(TensorDType.I64);
        file["transformer.layers.10.self_attn/offset"].Shape.ShouldBe([1]);
        file["transformer.layers.10.self_attn/cache"].Shape.ShouldBe([2, 1, 1, 1, 1]);
        // safetensors.torch.save_file orders by dtype (I64 before F32) and then by name, so layers.10 precedes layers.2.
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToInt64(bytes));
        int[] positions =
        [
            header.IndexOf("layers.0.self_attn/offset", StringComparison.Ordinal),
            header.IndexOf("layers.0.self_attn/pad", StringComparison.Ordinal),
            header.IndexOf("layers.10.self_attn/offset", StringComparison.Ordinal),
            header.IndexOf("layers.2.self_attn/offset", StringComparison.Ordinal),
            header.IndexOf("layers.9.self_attn/offset", StringComparison.Ordinal),
            header.IndexOf("layers.0.self_attn/cache", StringComparison.Ordinal),
            header.IndexOf("layers.10.self_attn/cache", StringComparison.Ordinal),
            header.IndexOf("layers.2.self_attn/cache", StringComparison.Ordinal),
        ];
        positions.ShouldBeInOrder();
        positions.ShouldAllBe(p => p >= 0);
    }

    [Fact]
    public void An_empty_snapshot_round_trips()
    {
        var empty = new FlowLmSnapshot(0, 2, 4, [Array.Empty<float>()], [Array.Empty<float>()]);
        FlowLmSnapshot read = VoiceStateFile.Read(VoiceStateFile.ToBytes(empty));
        read.Offset.ShouldBe(0);
        read.Layers.ShouldBe(1);
        read.Heads.ShouldBe(2);
    }

    [Fact]
    public void A_longer_cache_is_cut_to_the_offset()
    {
        float[] cache = [.. Enumerable.Range(0, 2 * 3 * 1 * 2).Select(i => (float)i)];
        byte[] bytes = new SafeTensorsWriter()
            .Add(Layer0 + "/cache", cache, 2, 1, 3, 1, 2)
            .Add(Layer0 + "/offset", [2L], 1).ToBytes();
        FlowLmSnapshot s = VoiceStateFile.Read(bytes);
        s.Offset.ShouldBe(2);
        s.Keys[0].ShouldBe([0f, 1, 2, 3]);
        s.Values[0].ShouldBe([6f, 7, 8, 9]);
    }

    [Fact]
    public void A_3x_file_with_no_padding_reads_as_its_cache_and_offset()
    {
        float[] cache = [.. Enumerable.Range(0, 2 * 2 * 1 * 2).Select(i => (float)i)];
        byte[] bytes = new SafeTensorsWriter()
            .Add(Layer0 + "/offset", [2L], 1)
            .Add(Layer0 + "/pad", [0L], 1)
            .Add(Layer0 + "/cache", cache, 2, 1, 2, 1, 2).ToBytes();
        FlowLmSnapshot s = VoiceStateFile.Read(bytes);
        s.Offset.ShouldBe(2);
        s.Keys[0].ShouldBe([0f, 1, 2, 3]);
        s.Values[0].ShouldBe([4f, 5, 6, 7]);
    }

    [Fact]
    public void Half_precision_caches_are_widened()
    {
        byte[] half = [.. Enumerable.Range(0, 4).SelectMany(i => BitConverter.GetBytes((Half)(i + 0.5f)))];
        byte[] bytes = new SafeTensorsWriter()
            .Add(Layer0 + "/cache", TensorDType.F16, half, 2, 1, 1, 1, 2)
            .Add(Layer0 + "/current_end", TensorDType.Bool, new byte[1], 1).ToBytes();
        FlowLmSnapshot s = VoiceStateFile.Read(bytes);
        s.Keys[0].ShouldBe([0.5f, 1.5f]);
        s.Values[0].ShouldBe([2.5f, 3.5f]);
    }

    private static SafeTensorsWriter Layer(SafeTensorsWriter writer, string module, int positions = 3, int heads = 2, int headDim = 4, long? offset = 3)
    {
        writer.Add(module + "/cache", new float[2 * positions * heads * headDim], 2, 1, positions, heads, headDim);
        if (offset is long o)
            writer.Add(module + "/offset", [o], 1);
        return writer;
    }

    public static TheoryData<string, byte[], string> InconsistentFiles => new()
    {
        { "no tensors", new SafeTensorsWriter().Metadata("a", "b").ToBytes(),
            "v: no voice-state tensors found (expected transformer.layers.N.self_attn/cache with /offset (or /current_end in older files))." },
        { "model weights", new SafeTensorsWriter().Add("flow_lm.bos_emb", new float[4], 4).ToBytes(),
            "v: 'flow_lm.bos_emb' is not a voice-state tensor (expected transformer.layers.N.self_attn/cache with /offset (or /current_end in older files))." },
        { "two slashes", Layer(new SafeTensorsWriter(), Layer0).Add(Layer0 + "/cache/x", [1f], 1).ToBytes(),
            "v: 'transformer.layers.0.self_attn/cache/x' is not a voice-state tensor" },
        { "leading zero", Layer(new SafeTensorsWriter(), "transformer.layers.00.self_attn").ToBytes(),
            "v: 'transformer.layers.00.self_attn/cache' is not a voice-state tensor" },
        { "unknown state", Layer(new SafeTensorsWriter(), Layer0).Add(Layer0 + "/end", [1f], 1).ToBytes(),
            "v: 'transformer.layers.0.self_attn/end' is not part of a voice state (a layer holds cache, offset and, since 3.x, pad = 0; or current_end in older files)." },
        { "padded batch row", Layer(new SafeTensorsWriter(), Layer0).Add(Layer0 + "/pad", [1L], 1).ToBytes(),
            "v: 'transformer.layers.0.self_attn/pad' marks padding positions of a batched state; a voice state has none." },
        { "missing layer", Layer(Layer(new SafeTensorsWriter(), Layer0), "transformer.layers.2.self_attn").ToBytes(),
            "v: layer 1 is missing (found layers 0, 2)." },
        { "missing offset", Layer(new SafeTensorsWriter(), Layer0, offset: null).ToBytes(),
            "v: layer 0 has no 'transformer.layers.0.self_attn/offset' (nor the older '/current_end')." },
        { "missing cache", new SafeTensorsWriter().Add(Layer0 + "/offset", [3L], 1).ToBytes(),
            "v: layer 0 has no 'transformer.layers.0.self_attn/cache'." },
        { "mismatched heads", Layer(Layer(new SafeTensorsWriter(), Layer0), Layer1, heads: 4).ToBytes(),
            "v: layer 1 has 4 heads of 4 features but layer 0 has 2 heads of 4." },
        { "mismatched head dim", Layer(Layer(new SafeTensorsWriter(), Layer0), Layer1, headDim: 8).ToBytes(),
            "v: layer 1 has 2 heads of 8 features but layer 0 has 2 heads of 4." },
        { "mismatched offsets", Layer(Layer(new SafeTensorsWriter(), Layer0), Layer1, offset: 2).ToBytes(),
            "v: layer 1 holds 2 positions but layer 0 holds 3." },
        { "offset past the cache", Layer(new SafeTensorsWriter(), Layer0, offset: 5).ToBytes(),
            "v: layer 0 offset 5 exceeds its cache length 3." },
        { "negative offset", Layer(new SafeTensorsWriter(), Layer0, offset: -1).ToBytes(),
            "v: 'transformer.layers.0.self_attn/offset' is -1, not a valid number of positions." },
        { "float offset", Layer(new SafeTensorsWriter(), Layer0, offset: null).Add(Layer0 + "/offset", [3f], 1).ToBytes(),
            "v: 'transformer.layers.0.self_attn/offset' is F32 [1], expected I64 [1]." },
        { "offset of two values", Layer(new SafeTensorsWriter(), Layer0, offset: null).Add(Layer0 + "/offset", [3L, 3L], 2).ToBytes(),
            "v: 'transformer.layers.0.self_attn/offset' is I64 [2], expected I64 [1]." },
        { "2-D current_end", Layer(new SafeTensorsWriter(), Layer0, offset: null).Add(Layer0 + "/current_end", new float[3], 3, 1).ToBytes(),
            "v: 'transformer.layers.0.self_attn/current_end' has shape [3, 1]; current_end must be one-dimensional (its length is the offset)." },
        { "offset and current_end disagree", Layer(new SafeTensorsWriter(), Layer0).Add(Layer0 + "/current_end", new float[2], 2).ToBytes(),
            "v: 'transformer.layers.0.self_attn/offset' says 3 positions but 'transformer.layers.0.self_attn/current_end' says 2." },
        { "cache of rank 4", new SafeTensorsWriter().Add(Layer0 + "/cache", new float[12], 2, 3, 2, 1).Add(Layer0 + "/offset", [1L], 1).ToBytes(),
            "v: 'transformer.layers.0.self_attn/cache' has shape [2, 3, 2, 1], expected [2, 1, positions, heads, head_dim] (keys then values, batch 1)." },
        { "batch of two", new SafeTensorsWriter().Add(Layer0 + "/cache", new float[16], 2, 2, 2, 1, 2).Add(Layer0 + "/offset", [1L], 1).ToBytes(),
            "v: 'transformer.layers.0.self_attn/cache' has shape [2, 2, 2, 1, 2], expected [2, 1, positions, heads, head_dim]" },
        { "integer cache", new SafeTensorsWriter().Add(Layer0 + "/cache", new long[4], 2, 1, 1, 1, 2).Add(Layer0 + "/offset", [1L], 1).ToBytes(),
            "v: 'transformer.layers.0.self_attn/cache' has element type I64; a float cache is required." },
    };

    [Theory]
    [MemberData(nameof(InconsistentFiles))]
    public void Inconsistent_files_are_rejected_with_the_reason(string what, byte[] bytes, string expected)
    {
        Should.Throw<InvalidDataException>(() => VoiceStateFile.Read(bytes, "v"), what).Message.ShouldStartWith(expected, Case.Sensitive);
    }

    [Theory]
    [InlineData(float.NaN, 0, "keys hold NaN at element 5")]
    [InlineData(float.PositiveInfinity, 1, "values hold Infinity at element 5")]
    [InlineData(float.NegativeInfinity, 0, "keys hold -Infinity at element 5")]
    [InlineData(3e38f, 1, "values hold 3E+38 at element 5")]
    [InlineData(-1.5e6f, 0, "keys hold -1500000 at element 5")]
    public void Values_that_are_not_finite_or_beyond_a_million_are_rejected(float bad, int kv, string expected)
    {
        // Such a state gave exit 0 and silent audio of maximum length: attention turned it into NaN.
        const int Positions = 3, Heads = 2, HeadDim = 4;
        var cache = new float[2 * Positions * Heads * HeadDim];
        cache[kv * Positions * Heads * HeadDim + 5] = bad;
        byte[] bytes = new SafeTensorsWriter().Add(Layer0 + "/cache", cache, 2, 1, Positions, Heads, HeadDim).Add(Layer0 + "/offset", [3L], 1).ToBytes();
        Should.Throw<InvalidDataException>(() => VoiceStateFile.Read(bytes, "v")).Message.ShouldBe(
            $"v: 'transformer.layers.0.self_attn/cache' {expected}; a voice state holds finite values within ±1000000.");
    }

    [Fact]
    public void Unused_capacity_past_the_offset_may_hold_nan_as_the_reference_fills_it()
    {
        var cache = new float[2 * 3 * 2];
        Array.Fill(cache, float.NaN);
        (cache[0], cache[1]) = (0.5f, 0.25f);   // keys, position 0 of 3
        (cache[6], cache[7]) = (1.5f, 1.25f);   // values, position 0 of 3
        byte[] bytes = new SafeTensorsWriter().Add(Layer0 + "/cache", cache, 2, 1, 3, 1, 2).Add(Layer0 + "/offset", [1L], 1).ToBytes();
        FlowLmSnapshot s = VoiceStateFile.Read(bytes, "v");
        s.Keys[0].ShouldBe([0.5f, 0.25f]);
        s.Values[0].ShouldBe([1.5f, 1.25f]);
    }

    [Fact]
    public void Files_that_are_not_safetensors_are_rejected_by_path()
    {
        using var folder = new TempFolder();
        string path = folder.Write("voice.safetensors", "RIFF...."u8.ToArray());
        Should.Throw<InvalidDataException>(() => VoiceStateFile.Read(path)).Message.ShouldStartWith(path + ": ");
        Should.Throw<FileNotFoundException>(() => VoiceStateFile.Read(folder.File("absent.safetensors")));
    }
}
