namespace PocketTts.Backends;

/// <summary>The files of a model, as resolved on the local disk.</summary>
/// <param name="ConfigPath">The YAML configuration (the reference's schema).</param>
/// <param name="WeightsPath">The safetensors weights (float, or int8 as written by <c>pocket-tts quantize</c>).</param>
/// <param name="TokenizerPath">The SentencePiece <c>tokenizer.model</c>, or a Hugging Face <c>tokenizer.json</c> (a path ending in <c>.json</c>).</param>
/// <param name="Quantize">Quantize the FlowLM transformer's linear layers to int8 at load time.</param>
public sealed record ModelSource(string ConfigPath, string WeightsPath, string TokenizerPath, bool Quantize = false)
{
    /// <summary>
    /// The language the model speaks, as a built-in language name (english, french_24l, …); it chooses the text
    /// normaliser used by default. Null for a model of unknown language, whose text is then not normalised.
    /// </summary>
    public string? Language { get; init; }
}
