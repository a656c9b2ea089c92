using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using PocketTts.Stages;

namespace PocketTts.Generation;

/// <summary>
/// Runs text chunks through the stages: a producer thread runs FlowLM (text prompt, then one step per frame) and
/// hands latents to a decoder thread running Mimi, which hands 1920-sample frames to the caller as they are
/// ready. Each chunk restarts from the voice state with a fresh decoder state, as the reference does.
/// </summary>
internal sealed class SpeechPipeline(IModelStages stages, int sampleRate)
{
    // Latents in flight between FlowLM and Mimi; a small bound keeps memory flat while letting the two overlap.
    private const int LatentQueueCapacity = 16;

    // Decoded frames waiting for a slow consumer (an HTTP client, a pipe): beyond this the decoder waits.
    private const int AudioQueueCapacity = 64;

    private readonly record struct LatentMessage(int TextChunk, int Frame, float[] Latent);

    public async IAsyncEnumerable<AudioChunk> RunAsync(
        IReadOnlyList<ChunkPlan> plan,
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
            () => DecodeAsync(latents.Reader, audio.Writer, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
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

    private void Produce(IReadOnlyList<ChunkPlan> plan, FlowLmSnapshot voice, GenerationOptions options, INoiseSource noise, ChannelWriter<LatentMessage> output, CancellationToken token)
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
            for (int chunkIndex = 0; chunkIndex < plan.Count; chunkIndex++)
            {
                ChunkPlan chunk = plan[chunkIndex];
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
                    WriteBlocking(output, new LatentMessage(chunkIndex, step, message), token);
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

    private async Task DecodeAsync(ChannelReader<LatentMessage> input, ChannelWriter<AudioChunk> output, CancellationToken token)
    {
        Exception? failure = null;
        try
        {
            IMimiDecoderStage mimi = stages.MimiDecoder;
            using IMimiDecoderState state = mimi.CreateState();
            int currentChunk = -1;
            await foreach (LatentMessage message in input.ReadAllAsync(token))
            {
                try
                {
                    if (message.TextChunk != currentChunk)
                    {
                        state.Reset();
                        currentChunk = message.TextChunk;
                    }
                    var samples = new float[mimi.FrameSamples];
                    mimi.DecodeFrame(state, message.Latent.AsSpan(0, mimi.LatentDim), samples);
                    await output.WriteAsync(new AudioChunk(samples, sampleRate, message.TextChunk, message.Frame), token);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(message.Latent);
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        output.TryComplete(failure);
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
            ArrayPool<float>.Shared.Return(message.Latent);
    }
}
