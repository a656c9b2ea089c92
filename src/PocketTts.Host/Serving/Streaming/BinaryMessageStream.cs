using System.Net.WebSockets;
using PocketTts.Audio.Encoders;

namespace PocketTts.Host.Serving.Streaming;

/// <summary>
/// A WebSocket as an encoder's output: what is written between two flushes goes out as one binary message. The
/// audio encoders flush after each frame, so each 80 ms of audio is one message.
/// </summary>
internal sealed class BinaryMessageStream(WebSocket socket) : FlushedChunkStream
{
    protected override async ValueTask SendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        await socket.SendAsync(chunk, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
}
