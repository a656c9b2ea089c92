using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace PocketTts.Host.Cli;

/// <summary>
/// The text of <c>--text -</c>, as it arrives: a language model piped into <c>generate</c> is heard from its first
/// complete sentences on, while it is still writing. Reading starts at once, so that it overlaps loading the model.
/// </summary>
internal sealed class StandardInputText
{
    // A pipe's read returns what is there, however little; a file fills whole buffers, and each piece re-plans the
    // text so far, so large reads keep a long file cheap.
    private const int BufferChars = 1 << 16;

    private readonly Channel<string> _pieces = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private StandardInputText(TextReader input) =>
        // A blocking read of a pipe cannot be cancelled: the reader runs on its own and ends with the input (or the process).
        _ = Task.Run(() => ReadAsync(input));

    /// <summary>Starts reading <paramref name="input"/> until its end.</summary>
    public static StandardInputText Start(TextReader input) => new(input);

    /// <summary>The pieces of text in order, each as soon as it was read.</summary>
    /// <exception cref="UsageException">The input ended with nothing but whitespace.</exception>
    public async IAsyncEnumerable<string> Pieces([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        bool any = false;
        await foreach (string piece in _pieces.Reader.ReadAllAsync(cancellationToken))
        {
            any |= !string.IsNullOrWhiteSpace(piece);
            yield return piece;
        }
        if (!any)
            throw new UsageException("No text to speak: standard input was empty for '--text -'.");
    }

    private async Task ReadAsync(TextReader input)
    {
        Exception? failure = null;
        try
        {
            var buffer = new char[BufferChars];
            int read;
            // A read returns what the pipe holds, without waiting for the buffer to fill.
            while ((read = await input.ReadAsync(buffer)) > 0)
                _pieces.Writer.TryWrite(new string(buffer, 0, read));
        }
        catch (IOException e)
        {
            failure = e;
        }
        _pieces.Writer.TryComplete(failure);
    }
}
