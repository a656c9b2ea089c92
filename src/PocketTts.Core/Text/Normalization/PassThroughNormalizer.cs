namespace PocketTts.Text.Normalization;

/// <summary>Leaves text unchanged: for users who turn normalisation off, and for a model of unknown language.</summary>
internal sealed class PassThroughNormalizer : ITextNormalizer
{
    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text;
    }
}
