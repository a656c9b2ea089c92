using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>A <see cref="ClientWebSocket"/> on <c>/v1/audio/speech/stream</c> that records what the server sends, in order.</summary>
public sealed class SpeechStreamClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly List<(JsonElement Event, long AudioBytesBefore)> _events = [];
    private readonly MemoryStream _audio = new();
    private Task _receiving = Task.CompletedTask;

    /// <summary>The JSON events, in order, each with the number of audio bytes received before it.</summary>
    public IReadOnlyList<(JsonElement Event, long AudioBytesBefore)> Events
    {
        get
        {
            lock (_audio)
                return [.. _events];
        }
    }

    /// <summary>The audio bytes received so far (the binary messages, concatenated).</summary>
    public byte[] Audio
    {
        get
        {
            lock (_audio)
                return _audio.ToArray();
        }
    }

    /// <summary>Resolves when the first audio message has arrived.</summary>
    public TaskCompletionSource FirstAudio { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<SpeechStreamClient> ConnectAsync(Uri server)
    {
        var client = new SpeechStreamClient();
        var address = new UriBuilder(server) { Scheme = "ws", Path = "v1/audio/speech/stream" }.Uri;
        await client._socket.ConnectAsync(address, CancellationToken.None);
        client._receiving = client.ReceiveAsync();
        return client;
    }

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public Task SendRawAsync(string message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Waits until the server has closed the session (or <paramref name="timeout"/>).</summary>
    public Task CompletionAsync(TimeSpan? timeout = null) => _receiving.WaitAsync(timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>Drops the connection without a close handshake, as a client that goes away.</summary>
    public void Abort() => _socket.Abort();

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65536];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    lock (_audio)
                        _audio.Write(message.GetBuffer(), 0, (int)message.Length);
                    FirstAudio.TrySetResult();
                }
                else
                {
                    lock (_audio)
                    {
                        _events.Add((JsonDocument.Parse(message.ToArray()).RootElement.Clone(), _audio.Length));
                    }
                }
                message.SetLength(0);
            }
        }
        catch (WebSocketException) when (_socket.State == WebSocketState.Aborted)
        {
            // Abort() was called.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        try
        {
            await _receiving;
        }
        catch (WebSocketException)
        {
            // The connection is gone; what was received is kept.
        }
        catch (OperationCanceledException)
        {
        }
        _socket.Dispose();
    }
}
