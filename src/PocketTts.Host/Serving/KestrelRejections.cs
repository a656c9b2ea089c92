using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PocketTts.Host.Serving;

/// <summary>
/// Gives Kestrel's own rejections a body. A request Kestrel cannot parse (a malformed request line or header, a
/// target or header block past its limits, headers that never finish) never reaches the application: Kestrel
/// answers it itself with an empty <c>4xx</c> and closes the connection, and offers no hook to change that reply.
/// This connection middleware recognises that reply on its way out (a 4xx or 505 status line with
/// <c>Content-Length: 0</c> and <c>Connection: close</c>, which the application never sends: every error it sends
/// carries OpenAI error JSON) and adds the same JSON the application would have sent.
/// </summary>
internal static class KestrelRejections
{
    public static void UseJsonRejections(this ListenOptions listen) => listen.Use(next => connection =>
    {
        IDuplexPipe transport = connection.Transport;
        var output = PipeWriter.Create(new RejectionStream(transport.Output.AsStream()));
        connection.Transport = new DuplexPipe(transport.Input, output);
        return next(connection);
    });

    /// <summary>The reply with a JSON body, or null when <paramref name="reply"/> is not one of Kestrel's rejections.</summary>
    internal static byte[]? WithBody(ReadOnlySpan<byte> reply)
    {
        if (!(reply.StartsWith("HTTP/1.1 4"u8) || reply.StartsWith("HTTP/1.1 505"u8)) || !reply.EndsWith("\r\n\r\n"u8) || reply.Length > 1024 ||
            reply.IndexOf("\r\nContent-Length: 0\r\n"u8) < 0 || reply.IndexOf("\r\nConnection: close\r\n"u8) < 0)
            return null;
        string head = Encoding.ASCII.GetString(reply);
        int status = int.Parse(head.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        string message = status switch
        {
            400 => "The request is not well-formed HTTP/1.1 (its request line, a header or its framing); it was not read.",
            408 => "The request headers did not arrive in time.",
            414 => $"The request target is longer than the server reads ({RequestGuard.MaxTargetBytes} characters).",
            431 => $"The request headers are larger than the server reads ({RequestGuard.MaxHeaderCount} fields, {RequestGuard.MaxHeaderBytes} bytes).",
            505 => "The request's HTTP version is not supported: send HTTP/1.1.",
            _ => "The request was refused before it was read.",
        };
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new OpenAiError(new OpenAiError.Body(message, OpenAiError.InvalidRequest, null, "invalid_http_request")));
        head = head.Replace("\r\nContent-Length: 0\r\n", $"\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n", StringComparison.Ordinal);
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }

    /// <summary>Passes every write through, except a rejection, which it rewrites (Kestrel writes one in one piece).</summary>
    private sealed class RejectionStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            WithBody(buffer.Span) is { } rewritten ? inner.WriteAsync(rewritten, cancellationToken) : inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (WithBody(buffer.AsSpan(offset, count)) is { } rewritten)
                inner.Write(rewritten);
            else
                inner.Write(buffer, offset, count);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
