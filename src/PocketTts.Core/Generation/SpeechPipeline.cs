using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using PocketTts.Stages;

namespace PocketTts.Generation;

/// <summary>
/// Runs a plan through the stages: FlowLM (<see cref="LatentProducer"/>) makes one latent per frame and Mimi
/// (<see cref="FrameAssembler"/>) turns them into 1920-sample frames, handed to the caller as they are ready. Where
/// threads exist and <see cref="GenerationOptions.OverlapStages"/> asks for it (by default: where the backend leaves a
/// core free, <paramref name="overlapByDefault"/>) the two run concurrently on their own threads, joined by small
/// bounded queues, so that decoding one frame overlaps generating the next; otherwise, and always in a browser (one
/// thread), they take turns, yielding to the event loop between frames so that the page can play the audio already made.
/// </summary>
internal sealed class SpeechPipeline(IModelStages stages, int sampleRate, GenerationRules rules, bool concurrent = true, bool overlapByDefault = true)
{
    // Latents in flight between FlowLM and Mimi; a small bound keeps memory flat while letting the two overlap.
    private const int LatentQueueCapacity = 16;

    // Decoded frames waiting for a slow consumer (an HTTP client, a pipe): beyond this the decoder waits.
    private const int AudioQueueCapacity = 64;

    /// <summary>Whether the stages overlap when the options leave it open.</summary>
    public bool OverlapByDefault => concurrent && overlapByDefault;

    /// <summary>Whether this platform can run FlowLM and Mimi on threads of their own.</summary>
    public static bool ThreadsAvailable => !OperatingSystem.IsBrowser() && !OperatingSystem.IsWasi();

    /// <summary>Whether the stages should overlap when the options leave it open: when the backend's stage calls leave a core free.</summary>
    public static bool LeavesACoreFree(int? computeThreads) => computeThreads is not int threads || threads < UsableCores();

    /// <summary>
    /// The cores this process may run on now: its affinity where the platform reports one (<c>taskset</c>, a container's
    /// cpuset, or bench pinning itself after start, which <see cref="Environment.ProcessorCount"/>, read at start, misses).
    /// </summary>
    internal static int UsableCores()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
            return Environment.ProcessorCount;
        using Process process = Process.GetCurrentProcess();
        int affinity = BitOperations.PopCount((ulong)process.ProcessorAffinity);
        return affinity > 0 ? Math.Min(affinity, Environment.ProcessorCount) : Environment.ProcessorCount;
    }

    public IAsyncEnumerable<AudioChunk> RunAsync(
        IReadOnlyList<PlanItem> plan, FlowLmSnapshot voice, GenerationOptions options, INoiseSource noise, CancellationToken cancellationToken) =>
        RunAsync(plan, 0, voice, options, noise, cancellationToken);

    /// <summary>
    /// Runs the items of <paramref name="plan"/> from <paramref name="firstItem"/> on; the items before it were run
    /// already (text that is still arriving is planned and run piece by piece). They stay in the plan because the
    /// fades around a pause look at an item's neighbours.
    /// </summary>
    public IAsyncEnumerable<AudioChunk> RunAsync(
        IReadOnlyList<PlanItem> plan, int firstItem, FlowLmSnapshot voice, GenerationOptions options, INoiseSource noise, CancellationToken cancellationToken) =>
        concurrent && (options.OverlapStages ?? overlapByDefault)
            ? RunConcurrentAsync(plan, firstItem, voice, options, noise, cancellationToken)
            : RunInTurnsAsync(plan, firstItem, voice, options, noise, cancellationToken);

    private async IAsyncEnumerable<AudioChunk> RunInTurnsAsync(
        IReadOnlyList<PlanItem> plan, int firstItem, FlowLmSnapshot voice, GenerationOptions options, INoiseSource noise,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var assembler = new FrameAssembler(stages.MimiDecoder, plan, sampleRate, rules, options.Observer);
        var ready = new List<AudioChunk>();
        foreach (LatentMessage message in LatentProducer.Produce(stages, plan, firstItem, voice, options, rules, noise, cancellationToken))
        {
            assembler.Accept(message, ready);
            foreach (AudioChunk chunk in ready)
                yield return chunk;
            ready.Clear();
            await Task.Yield();
        }
        assembler.Finish(ready);
        foreach (AudioChunk chunk in ready)
            yield return chunk;
    }

    private async IAsyncEnumerable<AudioChunk> RunConcurrentAsync(
        IReadOnlyList<PlanItem> plan, int firstItem, FlowLmSnapshot voice, GenerationOptions options, INoiseSource noise,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = linked.Token;
        var latents = Channel.CreateBounded<LatentMessage>(new BoundedChannelOptions(LatentQueueCapacity) { SingleReader = true, SingleWriter = true });
        var audio = Channel.CreateBounded<AudioChunk>(new BoundedChannelOptions(AudioQueueCapacity) { SingleReader = true, SingleWriter = true });

        Task producer = Task.Factory.StartNew(
            () => Produce(plan, firstItem, voice, options, noise, latents.Writer, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Task decoder = Task.Factory.StartNew(
            () => DecodeAsync(plan, options.Observer, latents.Reader, audio.Writer, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
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
            while (latents.Reader.TryRead(out LatentMessage message))
                FrameAssembler.Release(message);
        }
    }

    private void Produce(IReadOnlyList<PlanItem> plan, int firstItem, FlowLmSnapshot voice, GenerationOptions options, INoiseSource noise, ChannelWriter<LatentMessage> output, CancellationToken token)
    {
        Exception? failure = null;
        try
        {
            foreach (LatentMessage message in LatentProducer.Produce(stages, plan, firstItem, voice, options, rules, noise, token))
                WriteBlocking(output, message, token);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        output.TryComplete(failure);
    }

    private async Task DecodeAsync(IReadOnlyList<PlanItem> plan, IGenerationObserver? observer, ChannelReader<LatentMessage> input, ChannelWriter<AudioChunk> output, CancellationToken token)
    {
        Exception? failure = null;
        try
        {
            using var assembler = new FrameAssembler(stages.MimiDecoder, plan, sampleRate, rules, observer);
            var ready = new List<AudioChunk>();
            await foreach (LatentMessage message in input.ReadAllAsync(token))
            {
                assembler.Accept(message, ready);
                await WriteAllAsync(output, ready, token);
            }
            assembler.Finish(ready);
            await WriteAllAsync(output, ready, token);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        output.TryComplete(failure);
    }

    private static async ValueTask WriteAllAsync(ChannelWriter<AudioChunk> output, List<AudioChunk> ready, CancellationToken token)
    {
        foreach (AudioChunk chunk in ready)
            await output.WriteAsync(chunk, token);
        ready.Clear();
    }

    private static void WriteBlocking(ChannelWriter<LatentMessage> writer, LatentMessage message, CancellationToken token)
    {
        // The producer is a dedicated thread: waiting synchronously keeps the per-frame path free of task allocations.
        try
        {
            while (!writer.TryWrite(message))
            {
                ValueTask<bool> wait = writer.WaitToWriteAsync(token);
                if (!(wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult()))
                    throw new ChannelClosedException();
            }
        }
        catch
        {
            FrameAssembler.Release(message);
            throw;
        }
    }
}
