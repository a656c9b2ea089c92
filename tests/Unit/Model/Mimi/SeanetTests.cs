using PocketTts.Config;
using PocketTts.Model.Mimi;
using PocketTts.Tensors;
using PocketTts.Weights;
using static PocketTts.Tests.Unit.Model.Mimi.MimiTestKit;

namespace PocketTts.Tests.Unit.Model.Mimi;

/// <summary>SEANet built from the tiny fixture model (ratios 6, 5, 4; 8 filters; dimension 64).</summary>
public sealed class SeanetTests : IDisposable
{
    private static readonly SeanetConfig TinySeanet = MimiTestKit.Tiny.Seanet;

    private readonly ITensorBackend _backend = CreateBackend();
    private readonly SafeTensorsFile _model = OpenTinyModel();

    public void Dispose()
    {
        _model.Dispose();
        _backend.Dispose();
    }

    [Fact]
    public void The_encoder_reads_every_encoder_tensor_by_its_ModuleList_index()
    {
        var root = new WeightScope(new FilteredWeights(_model, "mimi.encoder."));
        using StreamingSequence encoder = Seanet.BuildEncoder(_backend, TinySeanet, root.Scope("mimi").Scope("encoder"));
        root.EnsureAllConsumed();
        encoder.Layers.Count.ShouldBe(8);   // conv, 3 × (residual block, strided conv), conv
        encoder.InChannels.ShouldBe(1);
        encoder.OutChannels.ShouldBe(64);
        encoder.OutputLength(1920).ShouldBe(16);
        Seanet.HopLength(TinySeanet).ShouldBe(120);
    }

    [Fact]
    public void The_decoder_reads_every_decoder_tensor_by_its_ModuleList_index()
    {
        var root = new WeightScope(new FilteredWeights(_model, "mimi.decoder."));
        using StreamingSequence decoder = Seanet.BuildDecoder(_backend, TinySeanet, root.Scope("mimi").Scope("decoder"));
        root.EnsureAllConsumed();
        decoder.Layers.Count.ShouldBe(8);   // conv, 3 × (transposed conv, residual block), conv
        decoder.InChannels.ShouldBe(64);
        decoder.OutChannels.ShouldBe(1);
        decoder.OutputLength(16).ShouldBe(1920);
    }

    [Fact]
    public void Encoding_in_chunks_of_one_two_and_three_hops_gives_the_whole_clip_output()
    {
        using StreamingSequence encoder = Seanet.BuildEncoder(_backend, TinySeanet, new WeightScope(_model).Scope("mimi").Scope("encoder"));
        const int samples = 120 * 37;
        float[] audio = Random(samples, seed: 1, 0.5f);
        float[] whole = RunInChunks(_backend, encoder, audio, samples, samples);
        foreach (int hops in new[] { 1, 2, 3 })
            RunInChunks(_backend, encoder, audio, samples, hops * 120).ShouldBeClose(whole, 1e-5f, $"chunks of {hops} hops");
    }

    [Fact]
    public void Decoding_in_chunks_of_one_two_and_three_steps_gives_the_whole_signal_output()
    {
        using StreamingSequence decoder = Seanet.BuildDecoder(_backend, TinySeanet, new WeightScope(_model).Scope("mimi").Scope("decoder"));
        const int steps = 37;
        float[] features = Random(64 * steps, seed: 2);
        float[] whole = RunInChunks(_backend, decoder, features, steps, steps);
        foreach (int chunk in new[] { 1, 2, 3 })
            RunInChunks(_backend, decoder, features, steps, chunk).ShouldBeClose(whole, 1e-5f, $"chunks of {chunk} steps");
    }

    [Fact]
    public void Unsupported_settings_are_named()
    {
        var scope = new WeightScope(_model).Scope("mimi").Scope("encoder");
        Should.Throw<ArgumentException>(() => Seanet.BuildEncoder(_backend, TinySeanet with { PadMode = "reflect" }, scope))
            .Message.ShouldContain("pad_mode 'reflect' is not supported");
        Should.Throw<ArgumentException>(() => Seanet.BuildDecoder(_backend, TinySeanet with { Ratios = [] }, scope))
            .Message.ShouldContain("ratios [] must be a non-empty list");
    }
}
