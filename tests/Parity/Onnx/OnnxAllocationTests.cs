using PocketTts.Stages;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Parity.Onnx;

/// <summary>
/// The per-frame path of the stage backends on this project's graphs (a Mimi frame, a FlowLM step) allocates nothing:
/// each stream makes its bindings, tensors and buffers once and reuses them, and the attention caches' views, whose
/// rows move every call, are bound through ONNX Runtime's C API (<c>CacheViewBinder</c>), which needs no managed
/// object; the managed API's OrtValue and UTF-8 name took about 120 bytes per view (968 bytes per frame of the tiny
/// model). Community bundles: <c>CommunityBundleTests</c>.
/// </summary>
public sealed class OnnxAllocationTests
{
    /// <summary>Frames or steps measured together: the views move between them, so every call binds new ones.</summary>
    private const int Calls = 10;

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableStageBackends), MemberType = typeof(ParityBackends))]
    public void Decoding_a_frame_allocates_nothing(string backendName)
    {
        using IModelStages stages = ParityBackends.CreateTinyStages(backendName);
        IMimiDecoderStage decoder = stages.MimiDecoder;
        using IMimiDecoderState state = decoder.CreateState();
        float[] latent = [.. Enumerable.Range(0, decoder.LatentDim).Select(i => 0.01f * i)];
        var audio = new float[decoder.FrameSamples];
        for (int i = 0; i < 3; i++)
            decoder.DecodeFrame(state, latent, audio);   // warm up (JIT, ONNX Runtime's first runs)

        long allocated = Allocation.Measure(() =>
        {
            for (int i = 0; i < Calls; i++)
                decoder.DecodeFrame(state, latent, audio);
        });

        allocated.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableStageBackends), MemberType = typeof(ParityBackends))]
    public void A_FlowLm_step_allocates_nothing(string backendName)
    {
        using IModelStages stages = ParityBackends.CreateTinyStages(backendName);
        IFlowLmStage flowLm = stages.FlowLm;
        using IFlowLmState state = flowLm.CreateState(capacity: 64);
        float[] latent = [.. Enumerable.Repeat(float.NaN, flowLm.LatentDim)], noise = [.. Enumerable.Repeat(0.5f, flowLm.LatentDim)];
        var output = new float[flowLm.LatentDim];
        var hidden = new float[flowLm.ModelDim];
        for (int i = 0; i < 3; i++)
            flowLm.SampleNextLatent(state, latent, noise, 4, output, hidden);

        long allocated = Allocation.Measure(() =>
        {
            for (int i = 0; i < Calls; i++)
                flowLm.SampleNextLatent(state, output, noise, 4, output, hidden);
        });

        allocated.ShouldBe(0);
        state.Offset.ShouldBeInRange(3 + Calls, 3 + (3 * Calls));
    }
}
