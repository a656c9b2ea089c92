namespace PocketTts.Text.Normalization;

/// <summary>Leaves text unchanged: for languages without rules yet, and for users who turn normalisation off.</summary>
internal sealed class PassThroughNormalizer : ITextNormalizer
{
    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text;
    }
}
