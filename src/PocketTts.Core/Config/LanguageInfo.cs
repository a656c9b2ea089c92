namespace PocketTts.Config;

/// <summary>A built-in language configuration at a glance: what its YAML says about weights, tokenizer and text handling.</summary>
/// <param name="Name">The configuration's name, as <c>--language</c> takes it (english, french_24l, …).</param>
/// <param name="Family">The language it speaks (french for french_24l, english for english_2026-04).</param>
/// <param name="WeightsPath">Weights with voice cloning (gated on Hugging Face), an <c>hf://</c> reference.</param>
/// <param name="WeightsPathWithoutVoiceCloning">Public weights without voice cloning, an <c>hf://</c> reference.</param>
/// <param name="TokenizerPath">The SentencePiece model, an <c>hf://</c> reference.</param>
/// <param name="FlowLmLayers">FlowLM transformer layers (6, or 24 for the <c>_24l</c> variants).</param>
/// <param name="InsertBosBeforeVoice">Whether a learned BOS row precedes the voice prompt.</param>
/// <param name="PadWithSpacesForShortInputs">Whether short texts are padded with spaces.</param>
/// <param name="RemoveSemicolons">Whether semicolons are removed from the text.</param>
/// <param name="ModelRecommendedFramesAfterEos">Frames generated after end of speech, or null to guess per chunk.</param>
public sealed record LanguageInfo(
    string Name,
    string Family,
    string? WeightsPath,
    string? WeightsPathWithoutVoiceCloning,
    string TokenizerPath,
    int FlowLmLayers,
    bool InsertBosBeforeVoice,
    bool PadWithSpacesForShortInputs,
    bool RemoveSemicolons,
    int? ModelRecommendedFramesAfterEos)
{
    /// <summary>The voice used when none is given (<see cref="LanguageCatalog.DefaultVoice"/>).</summary>
    public string DefaultVoice => LanguageCatalog.DefaultVoice(Name);

    /// <summary>Summarises a configuration.</summary>
    internal static LanguageInfo From(string name, ModelConfig config) => new(
        name,
        LanguageCatalog.Family(name),
        config.WeightsPath,
        config.WeightsPathWithoutVoiceCloning,
        config.FlowLm.LookupTable.TokenizerPath,
        config.FlowLm.Transformer.NumLayers,
        config.FlowLm.InsertBosBeforeVoice,
        config.PadWithSpacesForShortInputs,
        config.RemoveSemicolons,
        config.ModelRecommendedFramesAfterEos);
}
