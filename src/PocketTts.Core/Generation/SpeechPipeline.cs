using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using PocketTts.Stages;

namespace PocketTts.Generation;

/// <summary>
/// Runs a plan through the stages: a producer thread runs FlowLM (text prompt, then one step per frame) and
/// hands latents to a decoder thread running Mimi, which hands 1920-sample frames to the caller as they are
/// ready. Each chunk restarts from the voice state with a fresh decoder state, as the reference does. Pauses travel
/// the same way as a single message, so they come out in order; the decoder writes their silence and fades the
/// speech on either side (<see cref="SpeechFade"/>).
/// </summary>
internal sealed class SpeechPipeline(IModelStages stages, int sampleRate)
{
    // Latents in flight between FlowLM and Mimi; a small bound keeps memory flat while letting the two overlap.
    private const int LatentQueueCapacity = 16;

    // Decoded frames waiting for a slow consumer (an HTTP client, a pipe): beyond this the decoder waits.
    private const int AudioQueueCapacity = 64;

    // Latent is null for a pause, whose length is in the plan item.
    private readonly record struct LatentMessage(int Item, int Frame, float[]? Latent);

    public async IAsyncEnumerable<AudioChunk> RunAsync(
        IReadOnlyList<PlanItem> plan,
        FlowLmSnapshot voice,
        GenerationOptions options,
        INoiseSource noise,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = linked.Token;
        var latents = Channel.CreateBounded<LatentMessage>(new BoundedChannelOptions(LatentQueueCapacity) { SingleReader = true, SingleWriter = true });
        var audio = Channel.CreateBounded<AudioChunk>(new BoundedChannelOptions(AudioQueueCapacity) { SingleReader = true, SingleWriter = true });

        Task producer = Task.Factory.StartNew(
            () => Produce(plan, voice, options, noise, latents.Writer, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Task decoder = Task.Factory.StartNew(
            () => DecodeAsync(plan, latents.Reader, audio.Writer, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        try
        {
            await foreach (AudioChunk chunk in audio.Reader.ReadAllAsync(token))
            {
                // Frames already decoded are not handed out after a cancellation: the reader only checks the
                // token when it has to wait.
                token.ThrowIfCancellationRequested();
                yield return chunk;
            }
            await Task.WhenAll(producer, decoder);
        }
        finally
        {
            // The consumer stopped early or failed: stop both threads and wait, so no stage runs after we return.
            await linked.CancelAsync();
            try
            {
                await Task.WhenAll(producer, decoder).WaitAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                // Expected when we cancelled them ourselves; a caller's cancellation surfaces from the reader above.
            }
            DrainLatents(latents.Reader);
        }
    }

    private void Produce(IReadOnlyList<PlanItem> plan, FlowLmSnapshot voice, GenerationOptions options, INoiseSource noise, ChannelWriter<LatentMessage> output, CancellationToken token)
    {
        Exception? failure = null;
        try
        {
            IFlowLmStage flowLm = stages.FlowLm;
            int latentDim = flowLm.LatentDim;
            float std = MathF.Sqrt(options.Temperature);
            var input = new float[latentDim];
            var next = new float[latentDim];
            var noiseRow = new float[latentDim];
            for (int item = 0; item < plan.Count; item++)
            {
                if (plan[item] is not ChunkPlan chunk)
                {
                    WriteBlocking(output, new LatentMessage(item, 0, null), token);
                    continue;
                }
                using IFlowLmState state = flowLm.CreateState(voice, voice.Offset + chunk.TokenIds.Length + chunk.MaxFrames);
                var embeddings = new float[chunk.TokenIds.Length * stages.TextConditioner.EmbeddingDim];
                stages.TextConditioner.Embed(chunk.TokenIds, embeddings);
                flowLm.Prompt(state, embeddings, []);

                input.AsSpan().Fill(float.NaN); // NaN marks the first step's input as BOS.
                var eos = new EndOfSpeech(options.EosThreshold, chunk.FramesAfterEos);
                for (int step = 0; step < chunk.MaxFrames; step++)
                {
                    token.ThrowIfCancellationRequested();
                    noise.Fill(noiseRow, std, options.NoiseClamp);
                    float logit = flowLm.SampleNextLatent(state, input, noiseRow, options.LsdDecodeSteps, next, []);
                    if (!eos.Observe(step, logit))
                        break;
                    float[] message = ArrayPool<float>.Shared.Rent(latentDim);
                    next.CopyTo(message, 0);
                    WriteBlocking(output, new LatentMessage(item, step, message), token);
                    (input, next) = (next, input);
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        output.TryComplete(failure);
    }

    private async Task DecodeAsync(IReadOnlyList<PlanItem> plan, ChannelReader<LatentMessage> input, ChannelWriter<AudioChunk> output, CancellationToken token)
    {
        Exception? failure = null;
        try
        {
            IMimiDecoderStage mimi = stages.MimiDecoder;
            using IMimiDecoderState state = mimi.CreateState();
            int fade = SpeechFade.Length(sampleRate);
            int currentItem = -1;

            // The last frame of a chunk that a pause follows is only known to be last when the next message arrives,
            // so each frame of such a chunk waits for its successor before it goes out.
            AudioChunk? pending = null;
            await foreach (LatentMessage message in input.ReadAllAsync(token))
            {
                try
                {
                    if (message.Item != currentItem)
                    {
                        if (pending is not null)
                        {
                            SpeechFade.Out(pending.Samples, fade);
                            await output.WriteAsync(pending, token);
                            pending = null;
                        }
                        state.Reset();
                        currentItem = message.Item;
                    }
                    if (plan[message.Item] is SilencePlan silence)
                    {
                        await WriteSilenceAsync(output, message.Item, silence.Samples, mimi.FrameSamples, token);
                        continue;
                    }

                    var samples = new float[mimi.FrameSamples];
                    mimi.DecodeFrame(state, message.Latent.AsSpan(0, mimi.LatentDim), samples);
                    if (message.Frame == 0 && message.Item > 0 && plan[message.Item - 1] is SilencePlan)
                        SpeechFade.In(samples, fade);
                    AudioChunk? ready = new AudioChunk(samples, sampleRate, message.Item, message.Frame);
                    if (message.Item + 1 < plan.Count && plan[message.Item + 1] is SilencePlan)
                        (ready, pending) = (pending, ready);
                    if (ready is not null)
                        await output.WriteAsync(ready, token);
                }
                finally
                {
                    if (message.Latent is not null)
                        ArrayPool<float>.Shared.Return(message.Latent);
                }
            }
            if (pending is not null)
            {
                SpeechFade.Out(pending.Samples, fade);
                await output.WriteAsync(pending, token);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        output.TryComplete(failure);
    }

    /// <summary>Writes a pause as frame-sized chunks of zeros (the last one shorter), so consumers see the usual sizes.</summary>
    private async ValueTask WriteSilenceAsync(ChannelWriter<AudioChunk> output, int item, int samples, int frameSamples, CancellationToken token)
    {
        for (int frame = 0, written = 0; written < samples; frame++, written += frameSamples)
            await output.WriteAsync(new AudioChunk(new float[Math.Min(frameSamples, samples - written)], sampleRate, item, frame), token);
    }

    private static void WriteBlocking(ChannelWriter<LatentMessage> writer, LatentMessage message, CancellationToken token)
    {
        // The producer is a dedicated thread: waiting synchronously keeps the per-frame path free of task allocations.
        while (!writer.TryWrite(message))
        {
            ValueTask<bool> wait = writer.WaitToWriteAsync(token);
            if (!(wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult()))
                throw new ChannelClosedException();
        }
    }

    private static void DrainLatents(ChannelReader<LatentMessage> reader)
    {
        while (reader.TryRead(out LatentMessage message))
        {
            if (message.Latent is not null)
                ArrayPool<float>.Shared.Return(message.Latent);
        }
    }
}
