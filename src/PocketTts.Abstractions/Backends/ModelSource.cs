namespace PocketTts.Backends;

/// <summary>The files of a model, as resolved on the local disk.</summary>
/// <param name="ConfigPath">The YAML configuration (the reference's schema).</param>
/// <param name="WeightsPath">The safetensors weights (float, or int8 as written by <c>pocket-tts quantize</c>).</param>
/// <param name="TokenizerPath">The SentencePiece <c>tokenizer.model</c>.</param>
/// <param name="Quantize">Quantize the FlowLM transformer's linear layers to int8 at load time.</param>
public sealed record ModelSource(string ConfigPath, string WeightsPath, string TokenizerPath, bool Quantize = false);
