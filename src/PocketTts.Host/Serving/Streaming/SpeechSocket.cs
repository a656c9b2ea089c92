using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PocketTts.Audio.Encoders;
using PocketTts.Generation;
using PocketTts.Host.Serving.Operations;
using PocketTts.Text.Pauses;
using PocketTts.Voices;

namespace PocketTts.Host.Serving.Streaming;

/// <summary>
/// <c>/v1/audio/speech/stream</c>: one WebSocket session speaks text while the client is still sending it (a
/// language model's output, a live text box). The client sends <c>start</c> (voice and format), then <c>text</c>
/// pieces, <c>flush</c> to end a turn and <c>close</c> to end the input; the server answers audio as binary messages
/// (one per 80 ms frame, in the format asked for) between JSON events. A session holds one generation slot, obeys the
/// request timeout and the shutdown drain, and stops as soon as the socket closes. Protocol: docs/server.md.
/// </summary>
internal static class SpeechSocket
{
    // Room for a text message of the longest text, escaped, with its envelope.
    private const int MessageOverhead = 1024;

    // RFC 6455's registry: the server is overloaded, the client may retry.
    private const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    public static async Task RunAsync(HttpContext context, SpeechServer server, GracefulDrain drain, ILogger<SpeechServer> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            throw ApiException.BadRequest("Connect with a WebSocket: this endpoint speaks text sent as messages (see docs/server.md).", code: "websocket_required");
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        using var timeout = new CancellationTokenSource(server.Options.RequestTimeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.CutOff, timeout.Token);
        var session = new Session(socket, server, stop);
        try
        {
            await session.RunAsync();
        }
        catch (ApiException e)
        {
            await session.FailAsync(e);
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or WebSocketException or IOException)
        {
            string why = timeout.IsCancellationRequested ? $"it ran past the request timeout ({server.Options.RequestTimeout.TotalSeconds:0} s)"
                : drain.CutOff.IsCancellationRequested ? "the server stopped before it finished (--shutdown-timeout)" : "the client closed the socket";
            logger.LogInformation("Speech stream stopped early: {Reason}.", why);
            socket.Abort();
        }
    }

    private sealed class Session(WebSocket socket, SpeechServer server, CancellationTokenSource stop)
    {
        private readonly Channel<TextPiece> _pieces = Channel.CreateUnbounded<TextPiece>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        private readonly int _maxMessageBytes = (server.Options.MaxTextLength * 6) + MessageOverhead;
        private Task _receiving = Task.CompletedTask;

        public async Task RunAsync()
        {
            (string type, JsonElement first) = await ReceiveAsync() ?? throw ApiException.BadRequest("The socket closed before a start message.", code: "missing_start");
            if (type != "start")
                throw ApiException.BadRequest($"The first message must be start, not {type}.", "type", "missing_start");
            StreamMessages.Start start = StreamMessages.ReadStart(first);
            AudioFormat format = SpeechParameters.Format(start.ResponseFormat, AudioFormat.Pcm);
            server.Encoders.EnsureAvailable(format);
            GenerationOptions options = server.OptionsFor(start.Seed, start.NaturalPauses, start.Normalize, start.NormalizeLanguage);
            VoiceState voice = await server.Voices.GetAsync(start.Voice, stop.Token);
            using GenerationLimiter.Lease lease = await server.Limiter.EnterAsync(stop.Token);

            _receiving = ReceiveTextAsync();
            int frames = await SpeakAsync(voice, options, format);
            lease.Completed = true;
            await SendEventAsync(StreamMessages.Done(frames));
            // The client answers our close; its close ends the receiving loop.
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", stop.Token);
            await _receiving;
        }

        /// <summary>Tells the client what was wrong (an error event, then a close status that says whether to retry).</summary>
        public async Task FailAsync(ApiException e)
        {
            if (socket.State != WebSocketState.Open)
                return;
            WebSocketCloseStatus status = e.Status switch
            {
                StatusCodes.Status400BadRequest => WebSocketCloseStatus.PolicyViolation,
                StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable => TryAgainLater,
                _ => WebSocketCloseStatus.InternalServerError,
            };
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await SendEventAsync(StreamMessages.Error(e), grace.Token);
                await socket.CloseOutputAsync(status, e.Code ?? "error", grace.Token);
                await _receiving.WaitAsync(grace.Token);
            }
            catch (Exception failure) when (failure is WebSocketException or OperationCanceledException)
            {
                socket.Abort(); // the client is gone or does not answer the close
            }
        }

        /// <summary>Generates while text arrives; sends the audio and the chunk events.</summary>
        private async Task<int> SpeakAsync(VoiceState voice, GenerationOptions options, AudioFormat format)
        {
            int frames = 0, turn = 0;
            AudioChunk? speaking = null;
            await using var output = new BinaryMessageStream(socket);
            await using (IAudioEncoder encoder = server.Encoders.Create(format, output, server.Model.SampleRate))
            {
                IAsyncEnumerable<AudioChunk> audio = server.Model.GenerateStreamingAsync(_pieces.Reader.ReadAllAsync(stop.Token), voice, options, stop.Token);
                await foreach (AudioChunk chunk in Translated(audio))
                {
                    if (chunk.Frame == 0)
                    {
                        // A new plan item: the chunk before it is finished; a chunk number that does not grow starts a new turn.
                        if (speaking is not null)
                            await SendEventAsync(StreamMessages.ChunkFinished(turn, speaking.TextChunk, speaking.Text!));
                        if (speaking is not null && chunk.TextChunk <= speaking.TextChunk)
                            turn++;
                        speaking = chunk.Text is null ? null : chunk;
                        if (speaking is not null)
                            await SendEventAsync(StreamMessages.ChunkStarted(turn, chunk.TextChunk, chunk.Text!));
                    }
                    frames++;
                    await encoder.WriteAsync(chunk.Samples, stop.Token);
                }
                await encoder.CompleteAsync(stop.Token);
            }
            if (speaking is not null)
                await SendEventAsync(StreamMessages.ChunkFinished(turn, speaking.TextChunk, speaking.Text!));
            return frames;
        }

        /// <summary>The model's errors about the text as the API's.</summary>
        private static async IAsyncEnumerable<AudioChunk> Translated(IAsyncEnumerable<AudioChunk> audio)
        {
            await using IAsyncEnumerator<AudioChunk> chunks = audio.GetAsyncEnumerator();
            while (true)
            {
                try
                {
                    if (!await chunks.MoveNextAsync())
                        yield break;
                }
                catch (PocketTtsException e)
                {
                    throw e is PauseMarkupException ? ApiException.BadRequest(e.Message, "text", "invalid_pause_marker") : ApiException.From(e);
                }
                yield return chunks.Current;
            }
        }

        /// <summary>Feeds text, flush and close messages to the generation; a closed socket stops everything.</summary>
        private async Task ReceiveTextAsync()
        {
            int turnLength = 0;
            try
            {
                while (await ReceiveAsync() is (string type, JsonElement message))
                {
                    switch (type)
                    {
                        case "text":
                            string text = StreamMessages.ReadText(message);
                            turnLength += text.Length;
                            if (turnLength > server.Options.MaxTextLength)
                                throw ApiException.BadRequest($"The text of this turn has {turnLength} characters; the limit is {server.Options.MaxTextLength}: flush sooner.", "text", "string_above_max_length");
                            _pieces.Writer.TryWrite(TextPiece.Of(text));
                            break;
                        case "flush":
                            turnLength = 0;
                            _pieces.Writer.TryWrite(TextPiece.Flush);
                            break;
                        case "close":
                            _pieces.Writer.TryComplete();
                            break;
                        default:
                            throw ApiException.BadRequest($"Unknown message type '{type}': expected text, flush or close.", "type", "invalid_message");
                    }
                }
                // The client closed its side: nothing more will be heard, so stop generating.
                _pieces.Writer.TryComplete();
                await stop.CancelAsync();
            }
            catch (ApiException e)
            {
                _pieces.Writer.TryComplete(e);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                _pieces.Writer.TryComplete();
                await stop.CancelAsync();
            }
        }

        /// <summary>The next text message, parsed; null once the client closed the socket.</summary>
        /// <exception cref="ApiException">400: a binary or oversized message, or not a JSON message.</exception>
        private async Task<(string Type, JsonElement Message)?> ReceiveAsync()
        {
            var buffer = new byte[4096];
            using var message = new MemoryStream();
            while (true)
            {
                WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                    return null;
                if (result.MessageType != WebSocketMessageType.Text)
                    throw ApiException.BadRequest("Send JSON text messages; binary messages are not accepted.", code: "invalid_message");
                message.Write(buffer, 0, result.Count);
                if (message.Length > _maxMessageBytes)
                    throw ApiException.BadRequest($"A message is longer than {_maxMessageBytes} bytes.", code: "message_too_long");
                if (result.EndOfMessage)
                    return StreamMessages.Parse(message.GetBuffer().AsSpan(0, (int)message.Length));
            }
        }

        private Task SendEventAsync(object message) => SendEventAsync(message, stop.Token);

        private async Task SendEventAsync(object message, CancellationToken token) =>
            await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, endOfMessage: true, token);
    }
}
