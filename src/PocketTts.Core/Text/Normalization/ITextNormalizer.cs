namespace PocketTts.Text.Normalization;

/// <summary>
/// Rewrites written forms the model reads badly (digits, symbols, abbreviations) into the words a reader would say,
/// before tokenising. Implementations keep the punctuation the model uses for prosody (<c>. , ! ? ...</c>), leave
/// text that needs no change as it is (so normalising twice equals normalising once), and are thread-safe.
/// </summary>
public interface ITextNormalizer
{
    /// <summary>Returns <paramref name="text"/> with its written forms spelled out.</summary>
    /// <param name="text">Speech text, without pause markers.</param>
    string Normalize(string text);
}
