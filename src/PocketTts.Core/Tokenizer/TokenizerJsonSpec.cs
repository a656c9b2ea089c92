namespace PocketTts.Tokenizer;

/// <summary>
/// What a tokenizer.json says that encoding and decoding depend on, checked: a Unigram vocabulary (distinct,
/// non-empty pieces; an unknown id inside it), the added tokens (each a vocabulary piece at its own id), the Metaspace
/// pre-tokenizer and the decoder.
/// </summary>
internal sealed record TokenizerJsonSpec(
    string[] Pieces,
    double[] Scores,
    int UnknownId,
    bool ByteFallback,
    AddedToken[] AddedTokens,
    MetaspacePreTokenizer PreTokenizer,
    TokenizerJsonDecoder Decoder);
