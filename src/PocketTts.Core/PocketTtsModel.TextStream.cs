using System.Runtime.CompilerServices;
using System.Threading.Channels;
using PocketTts.Generation;
using PocketTts.Text.Pauses;
using PocketTts.Voices;

namespace PocketTts;

// Speaking a text while it is still arriving (from a language model, a pipe, a socket).
public sealed partial class PocketTtsModel
{
    /// <summary>
    /// Generates speech for a text that arrives in pieces, starting as soon as its first chunk is complete: the audio is
    /// that of the whole text given at once to <see cref="GenerateStreamingAsync(string, VoiceState, GenerationOptions?, CancellationToken)"/>
    /// (the same chunks; with a seed or a temperature of 0, the same samples), however the text was cut. The end of
    /// <paramref name="textPieces"/> speaks what is pending. A stream with nothing to speak gives no audio.
    /// </summary>
    /// <exception cref="InvalidInputException">Once the text ends: it holds nothing to speak once prepared, or a malformed
    /// pause marker (<see cref="PauseMarkupException"/>). The audio of the chunks before it has been handed out.</exception>
    public IAsyncEnumerable<AudioChunk> GenerateStreamingAsync(IAsyncEnumerable<string> textPieces, VoiceState voice, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(textPieces);
        return GenerateStreamingAsync(textPieces.Select(TextPiece.Of), voice, options, cancellationToken);
    }

    /// <summary>
    /// Generates speech for a text that arrives in pieces, with flushes: each <see cref="TextPiece.Flush"/> ends a turn,
    /// whose pending text is spoken without waiting for more, and the text after it is a new text. Each turn sounds as
    /// its whole text given at once; <see cref="AudioChunk.TextChunk"/> counts from 0 in each turn.
    /// </summary>
    /// <exception cref="InvalidInputException">At a flush or at the end: the turn holds nothing to speak once prepared,
    /// or a malformed pause marker (<see cref="PauseMarkupException"/>).</exception>
    public IAsyncEnumerable<AudioChunk> GenerateStreamingAsync(IAsyncEnumerable<TextPiece> textPieces, VoiceState voice, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        (GenerationOptions resolved, INoiseSource noise) = SeededNoise(options);
        return GenerateStreamingAsync(textPieces, voice, resolved, noise, cancellationToken);
    }

    /// <summary>As <see cref="GenerateStreamingAsync(IAsyncEnumerable{TextPiece}, VoiceState, GenerationOptions?, CancellationToken)"/>,
    /// with flow noise from <paramref name="noise"/> (one draw per frame, in order, across turns).</summary>
    public IAsyncEnumerable<AudioChunk> GenerateStreamingAsync(IAsyncEnumerable<TextPiece> textPieces, VoiceState voice, GenerationOptions options, INoiseSource noise, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(textPieces);
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(noise);
        options.Validate();
        var planner = new TextStreamPlanner(_planner, options);
        if (options.Temperature is null)
            options = options with { Temperature = (float)Config.DefaultTemperature };
        return SpeakAsync(textPieces, planner, voice, options, noise, cancellationToken);
    }

    private async IAsyncEnumerable<AudioChunk> SpeakAsync(
        IAsyncEnumerable<TextPiece> textPieces, TextStreamPlanner planner, VoiceState voice, GenerationOptions options, INoiseSource noise,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateUnbounded<PlanBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        // On a thread of its own, and not awaited: a piece source that blocks, or ignores cancellation, must not hold
        // up the caller.
        _ = Task.Run(() => ReadAsync(textPieces, planner, batches.Writer, stop.Token), CancellationToken.None);
        try
        {
            while (await batches.Reader.WaitToReadAsync(stop.Token))
            {
                // Items released while the previous batch was spoken run as one batch, so FlowLM and Mimi overlap.
                batches.Reader.TryRead(out PlanBatch? batch);
                while (batches.Reader.TryPeek(out PlanBatch? next) && next.Turn == batch!.Turn)
                {
                    batches.Reader.TryRead(out _);
                    batch = batch with { Items = next.Items };
                }
                await foreach (AudioChunk chunk in _pipeline.RunAsync(batch!.Items, batch.First, voice.Snapshot, options, noise, stop.Token))
                    yield return chunk;
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    /// <summary>Feeds the pieces to the planner and sends what it releases, until the pieces end or fail.</summary>
    private static async Task ReadAsync(IAsyncEnumerable<TextPiece> textPieces, TextStreamPlanner planner, ChannelWriter<PlanBatch> batches, CancellationToken token)
    {
        Exception? failure = null;
        try
        {
            int turn = 0;
            await foreach (TextPiece piece in textPieces.WithCancellation(token))
            {
                int first = planner.Items.Count;
                if (piece.IsFlush)
                    Send(turn++, planner.Flush(), first);
                else if (planner.Append(piece.Text) > 0)
                    Send(turn, [.. planner.Items], first);
            }
            int pending = planner.Items.Count;
            Send(turn, planner.Flush(), pending);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        batches.TryComplete(failure);

        void Send(int turn, IReadOnlyList<PlanItem> items, int first)
        {
            if (items.Count > first)
                batches.TryWrite(new PlanBatch(turn, items, first));
        }
    }

    /// <summary>The items of a turn released so far (all of its plan up to now), of which those from <paramref name="First"/> on are new.</summary>
    private sealed record PlanBatch(int Turn, IReadOnlyList<PlanItem> Items, int First);
}
