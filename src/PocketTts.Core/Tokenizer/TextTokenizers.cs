namespace PocketTts.Tokenizer;

/// <summary>Loads the tokenizer a model names, in either of the formats the reference accepts.</summary>
public static class TextTokenizers
{
    /// <summary>
    /// Loads a Hugging Face <c>tokenizer.json</c> (<see cref="JsonTokenizer"/>) when the file name ends in <c>.json</c>,
    /// as the reference's <c>build_tokenizer</c> decides from the suffix, otherwise a SentencePiece
    /// <c>tokenizer.model</c> (<see cref="SentencePieceTokenizer"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a valid tokenizer of its format.</exception>
    /// <exception cref="NotSupportedException">The tokenizer is of a kind that is not supported.</exception>
    public static ITextTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return path.EndsWith(".json", StringComparison.Ordinal) ? JsonTokenizer.Load(path) : SentencePieceTokenizer.Load(path);
    }

    /// <summary>
    /// The file name under which <see cref="Load"/> reads <paramref name="content"/> in its own format, for callers that
    /// get a tokenizer's bytes without a name (the browser API): <c>tokenizer.json</c> when it starts, after white
    /// space, with a JSON object (a SentencePiece model is a protobuf message, whose first byte is a field tag, never
    /// <c>{</c>), otherwise <c>tokenizer.model</c>.
    /// </summary>
    public static string FileNameFor(ReadOnlySpan<byte> content)
    {
        ReadOnlySpan<byte> start = content.TrimStart(" \t\r\n"u8);
        if (start.StartsWith("\uFEFF"u8))
            start = start[3..].TrimStart(" \t\r\n"u8);
        return start.StartsWith("{"u8) ? "tokenizer.json" : "tokenizer.model";
    }
}
