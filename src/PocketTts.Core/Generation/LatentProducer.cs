using System.Buffers;
using System.Diagnostics;
using PocketTts.Stages;

namespace PocketTts.Generation;

/// <summary>
/// The FlowLM side of generation: for each text chunk of a plan, the text prompt on a fresh copy of the voice state,
/// then one step per frame until the end of speech (plus its grace frames) or the frame budget; a pause passes through
/// as one message, so that it comes out in order. Items before <c>firstItem</c> are skipped: an earlier run made them.
/// </summary>
internal static class LatentProducer
{
    public static IEnumerable<LatentMessage> Produce(
        IModelStages stages, IReadOnlyList<PlanItem> plan, int firstItem, FlowLmSnapshot voice, GenerationOptions options, GenerationRules rules, INoiseSource noise,
        CancellationToken token)
    {
        IFlowLmStage flowLm = stages.FlowLm;
        IGenerationObserver? observer = options.Observer;
        int latentDim = flowLm.LatentDim;
        var steps = new ChunkSteps(latentDim, options, options.Temperature
            ?? throw new ArgumentException("The temperature must be resolved (the model's default) before generation.", nameof(options)), rules, noise);
        for (int item = firstItem; item < plan.Count; item++)
        {
            if (plan[item] is not ChunkPlan chunk)
            {
                yield return new LatentMessage(item, 0, null);
                continue;
            }
            using IFlowLmState state = flowLm.CreateState(voice, voice.Offset + chunk.TokenIds.Length + chunk.MaxFrames);
            var embeddings = new float[chunk.TokenIds.Length * stages.TextConditioner.EmbeddingDim];
            long start = Stopwatch.GetTimestamp();
            stages.TextConditioner.Embed(chunk.TokenIds, embeddings);
            flowLm.Prompt(state, embeddings, []);
            observer?.TextPrompted(chunk.TokenIds.Length, Stopwatch.GetElapsedTime(start));

            steps.Start(chunk);
            for (int step = 0; step < chunk.MaxFrames; step++)
            {
                token.ThrowIfCancellationRequested();
                steps.DrawNoise();
                start = Stopwatch.GetTimestamp();
                float logit = flowLm.SampleNextLatent(state, steps.Input, steps.Noise, options.LsdDecodeSteps, steps.Latent, []);
                observer?.LatentSampled(Stopwatch.GetElapsedTime(start));
                if (!steps.Speaks(step, logit))
                    break;
                float[] message = ArrayPool<float>.Shared.Rent(latentDim);
                steps.Latent.CopyTo(message, 0);
                yield return new LatentMessage(item, step, message);
                steps.Advance();
            }
        }
    }
}
