using System.Globalization;

namespace PocketTts.Text.Normalization;

/// <summary>
/// The culture handed to Humanizer for number words: only its name (<c>"fr"</c>, <c>"pt-BR"</c>), on invariant data.
/// The repository builds with <c>InvariantGlobalization</c> (and the browser has no ICU), where
/// <c>new CultureInfo("fr")</c> throws; Humanizer picks its number-to-words converter by <see cref="Name"/> alone,
/// and its converters read no culture data, so the words never depend on the machine's current culture.
/// </summary>
internal sealed class NumberWordsCulture(string name) : CultureInfo("")
{
    /// <inheritdoc/>
    public override string Name => name;

    /// <inheritdoc/>
    public override CultureInfo Parent => InvariantCulture;

    /// <inheritdoc/>
    public override string TwoLetterISOLanguageName => name[..2];
}
