namespace PocketTts.Tokenizer;

/// <summary>Text ↔ token ids, as SentencePiece's <c>encode(text, out_type=int)</c> and <c>decode(ids)</c>.</summary>
public interface ITextTokenizer
{
    /// <summary>Number of pieces (ids are 0 … VocabSize − 1).</summary>
    int VocabSize { get; }

    /// <summary>Encodes text to ids; no BOS/EOS is added.</summary>
    int[] Encode(string text);

    /// <summary>Decodes ids back to text.</summary>
    string Decode(ReadOnlySpan<int> ids);
}
