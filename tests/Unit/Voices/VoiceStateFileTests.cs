using PocketTts.Stages;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Voices;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Voices;

public class VoiceStateFileTests
{
    [Fact]
    public void The_reference_voice_state_reads_as_22_positions_of_2_layers()
    {
        FlowLmSnapshot s = VoiceStateFile.Read(RepoPaths.Fixture("voice_state.safetensors"));
        s.Offset.ShouldBe(22);
        s.Layers.ShouldBe(2);
        s.Heads.ShouldBe(2);
        s.HeadDim.ShouldBe(64);
        using var file = SafeTensorsFile.Open(RepoPaths.Fixture("voice_state.safetensors"));
        float[] cache = WeightConversion.ToFloat32(file["transformer.layers.1.self_attn/cache"]);
        s.Keys[1].ShouldBe(cache[..(22 * 128)]);
        s.Values[1].ShouldBe(cache[(22 * 128)..]);
    }

    [Fact]
    public void The_legacy_layout_reads_the_same_state_taking_the_offset_from_the_length_of_current_end()
    {
        FlowLmSnapshot modern = VoiceStateFile.Read(RepoPaths.Fixture("voice_state.safetensors"));
        FlowLmSnapshot legacy = VoiceStateFile.Read(RepoPaths.Fixture("voice_state_legacy.safetensors"));
        legacy.Offset.ShouldBe(modern.Offset);
        for (int layer = 0; layer < modern.Layers; layer++)
        {
            legacy.Keys[layer].ShouldBe(modern.Keys[layer]);
            legacy.Values[layer].ShouldBe(modern.Values[layer]);
        }
    }

    [Fact]
    public void Writing_the_reference_state_reproduces_its_tensors()
    {
        FlowLmSnapshot s = VoiceStateFile.Read(RepoPaths.Fixture("voice_state.safetensors"));
        using var written = SafeTensorsFile.FromBytes(VoiceStateFile.ToBytes(s));
        using var reference = SafeTensorsFile.Open(RepoPaths.Fixture("voice_state.safetensors"));
        written.Names.Order().ShouldBe(reference.Names.Order());
        foreach (string name in reference.Names)
        {
            written[name].DType.ShouldBe(reference[name].DType, name);
            written[name].Shape.ShouldBe(reference[name].Shape, name);
            written[name].Data.ToArray().ShouldBe(reference[name].Data.ToArray(), name);
        }
    }

    [Fact]
    public void Saving_to_a_file_round_trips_and_leaves_no_temporary_file()
    {
        FlowLmSnapshot s = VoiceStateFile.Read(RepoPaths.Fixture("voice_state.safetensors"));
        string dir = Directory.CreateTempSubdirectory("voice-").FullName;
        try
        {
            string path = Path.Combine(dir, "voice.safetensors");
            VoiceStateFile.Write(s, path);
            Directory.GetFiles(dir).ShouldBe([path]);
            VoiceStateFile.Read(path).Keys[0].ShouldBe(s.Keys[0]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Files_that_are_not_voice_states_are_rejected_with_the_reason()
    {
        byte[] model = new SafeTensorsWriter().Add("flow_lm.bos_emb", new float[4], 4).ToBytes();
        Should.Throw<InvalidDataException>(() => VoiceStateFile.Read(model)).Message.ShouldContain("is not a voice-state tensor");

        byte[] noOffset = new SafeTensorsWriter().Add("transformer.layers.0.self_attn/cache", new float[2 * 3 * 2 * 4], 2, 1, 3, 2, 4).ToBytes();
        Should.Throw<InvalidDataException>(() => VoiceStateFile.Read(noOffset)).Message.ShouldContain("needs both a cache and an offset");

        byte[] tooLong = new SafeTensorsWriter()
            .Add("transformer.layers.0.self_attn/cache", new float[2 * 3 * 2 * 4], 2, 1, 3, 2, 4)
            .Add("transformer.layers.0.self_attn/offset", [5L], 1).ToBytes();
        Should.Throw<InvalidDataException>(() => VoiceStateFile.Read(tooLong)).Message.ShouldContain("exceeds its cache length");

        Should.Throw<InvalidDataException>(() => VoiceStateFile.Read(new SafeTensorsWriter().Metadata("a", "b").ToBytes())).Message.ShouldContain("no voice-state tensors");
    }

    [Fact]
    public void A_longer_cache_is_cut_to_the_offset()
    {
        float[] cache = [.. Enumerable.Range(0, 2 * 3 * 1 * 2).Select(i => (float)i)];
        byte[] bytes = new SafeTensorsWriter()
            .Add("transformer.layers.0.self_attn/cache", cache, 2, 1, 3, 1, 2)
            .Add("transformer.layers.0.self_attn/offset", [2L], 1).ToBytes();
        FlowLmSnapshot s = VoiceStateFile.Read(bytes);
        s.Keys[0].ShouldBe([0f, 1, 2, 3]);
        s.Values[0].ShouldBe([6f, 7, 8, 9]);
    }
}
