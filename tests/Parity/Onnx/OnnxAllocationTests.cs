using PocketTts.Stages;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Parity.Onnx;

/// <summary>
/// The per-frame path of the stage backends on this project's graphs (a Mimi frame, a FlowLM step) allocates next to
/// nothing: each stream makes its bindings, tensors and buffers once and reuses them. What is left is ONNX Runtime's
/// managed API rebinding the attention caches' views, whose rows move every call: a tensor object and the name in
/// UTF-8 per cache input and output, about 120 bytes each, nothing sized by the audio or the sequence. (Community
/// bundles keep their caches in fixed-size states and allocate nothing: <c>CommunityBundleTests</c>.)
/// </summary>
public sealed class OnnxAllocationTests
{
    /// <summary>
    /// The tiny model's two layers rebind 8 views per call, under 1 KB (a binding, tensors and shape arrays made per
    /// call took 6.5 KB per frame and 8.4 KB per four-step LSD step).
    /// </summary>
    private const long CacheViewBytes = 2 * 1024;

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableStageBackends), MemberType = typeof(ParityBackends))]
    public void Decoding_a_frame_allocates_only_the_cache_views(string backendName)
    {
        using IModelStages stages = ParityBackends.CreateTinyStages(backendName);
        IMimiDecoderStage decoder = stages.MimiDecoder;
        using IMimiDecoderState state = decoder.CreateState();
        float[] latent = [.. Enumerable.Range(0, decoder.LatentDim).Select(i => 0.01f * i)];
        var audio = new float[decoder.FrameSamples];
        for (int i = 0; i < 3; i++)
            decoder.DecodeFrame(state, latent, audio);   // warm up (JIT, ONNX Runtime's first runs)

        long allocated = Allocation.Measure(() => decoder.DecodeFrame(state, latent, audio));

        allocated.ShouldBeLessThanOrEqualTo(CacheViewBytes);
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableStageBackends), MemberType = typeof(ParityBackends))]
    public void A_FlowLm_step_allocates_only_the_cache_views(string backendName)
    {
        using IModelStages stages = ParityBackends.CreateTinyStages(backendName);
        IFlowLmStage flowLm = stages.FlowLm;
        using IFlowLmState state = flowLm.CreateState(capacity: 16);
        float[] latent = [.. Enumerable.Repeat(float.NaN, flowLm.LatentDim)], noise = [.. Enumerable.Repeat(0.5f, flowLm.LatentDim)];
        var output = new float[flowLm.LatentDim];
        var hidden = new float[flowLm.ModelDim];
        for (int i = 0; i < 3; i++)
            flowLm.SampleNextLatent(state, latent, noise, 4, output, hidden);

        long allocated = Allocation.Measure(() => flowLm.SampleNextLatent(state, output, noise, 4, output, hidden));

        allocated.ShouldBeLessThanOrEqualTo(CacheViewBytes);
        state.Offset.ShouldBeInRange(4, 6);
    }
}
