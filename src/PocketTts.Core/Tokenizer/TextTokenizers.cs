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
}
