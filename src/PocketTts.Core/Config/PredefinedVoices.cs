namespace PocketTts.Config;

/// <summary>A voice that ships with the reference: its name, language, the recording it was made from, and where its exported state lives.</summary>
/// <param name="Name">The name users pass to <c>--voice</c>.</param>
/// <param name="Language">The language of the recording.</param>
/// <param name="Source">The recording the voice was computed from (an <c>hf://</c> reference).</param>
public sealed record PredefinedVoice(string Name, string Language, string Source)
{
    // The revision of kyutai/pocket-tts-without-voice-cloning whose exported voice states pocket-tts 3.3.0's
    // get_predefined_voice names (2.1.0 named e041936c, whose languages/english states belong to the 2026-04 weights
    // that "english" no longer loads).
    private const string EmbeddingsRevision = "4e1e0a3e611c51c0b4ed8174fc10f32a54644303";

    /// <summary>
    /// The exported voice state for a model language, as the reference's <c>get_predefined_voice</c> names it:
    /// <c>hf://kyutai/pocket-tts-without-voice-cloning/languages/&lt;language&gt;/embeddings/&lt;name&gt;.safetensors@…</c>.
    /// </summary>
    public string EmbeddingReference(string modelLanguage) =>
        $"hf://kyutai/pocket-tts-without-voice-cloning/languages/{modelLanguage}/embeddings/{Name}.safetensors@{EmbeddingsRevision}";
}

/// <summary>The reference's predefined voices (<c>_ORIGINS_OF_PREDEFINED_VOICES</c> in <c>pocket_tts/utils/utils.py</c>).</summary>
public static class PredefinedVoices
{
    /// <summary>Every predefined voice, in the reference's order.</summary>
    public static IReadOnlyList<PredefinedVoice> All { get; } =
    [
        new("cosette", "english", "hf://kyutai/tts-voices/expresso/ex04-ex02_confused_001_channel1_499s.wav"),
        new("marius", "english", "hf://kyutai/tts-voices/voice-donations/Selfie.wav"),
        new("javert", "english", "hf://kyutai/tts-voices/voice-donations/Butter.wav"),
        new("alba", "english", "hf://kyutai/tts-voices/alba-mackenna/casual.wav"),
        new("jean", "english", "hf://kyutai/tts-voices/ears/p010/freeform_speech_01_enhanced.wav"),
        new("anna", "english", "hf://kyutai/tts-voices/vctk/p228_023_enhanced.wav"),
        new("vera", "english", "hf://kyutai/tts-voices/vctk/p229_023_enhanced.wav"),
        new("fantine", "english", "hf://kyutai/tts-voices/vctk/p244_023_enhanced.wav"),
        new("charles", "english", "hf://kyutai/tts-voices/vctk/p254_023_enhanced.wav"),
        new("paul", "english", "hf://kyutai/tts-voices/vctk/p259_023_enhanced.wav"),
        new("eponine", "english", "hf://kyutai/tts-voices/vctk/p262_023_enhanced.wav"),
        new("azelma", "english", "hf://kyutai/tts-voices/vctk/p303_023_enhanced.wav"),
        new("george", "english", "hf://kyutai/tts-voices/vctk/p315_023_enhanced.wav"),
        new("mary", "english", "hf://kyutai/tts-voices/vctk/p333_023_enhanced.wav"),
        new("jane", "english", "hf://kyutai/tts-voices/vctk/p339_023_enhanced.wav"),
        new("michael", "english", "hf://kyutai/tts-voices/vctk/p360_023_enhanced.wav"),
        new("eve", "english", "hf://kyutai/tts-voices/vctk/p361_023_enhanced.wav"),
        new("bill_boerst", "english", "hf://kyutai/tts-voices/voice-zero/bill_boerst.wav"),
        new("peter_yearsley", "english", "hf://kyutai/tts-voices/voice-zero/peter_yearsley.wav"),
        new("stuart_bell", "english", "hf://kyutai/tts-voices/voice-zero/stuart_bell.wav"),
        new("caro_davy", "english", "hf://kyutai/tts-voices/voice-zero/caro_davy.wav"),
        new("giovanni", "italian", "hf://kyutai/pocket-tts/common_voice_it_36520747-enhanced-v2.mp3@64ab7d24c479d736a83b8cc666c4a776fca30fda"),
        new("lola", "spanish", "hf://kyutai/pocket-tts/common_voice_es_19762977-enhanced-v2.mp3@64ab7d24c479d736a83b8cc666c4a776fca30fda"),
        new("juergen", "german", "hf://kyutai/pocket-tts/de-DE-juergen.mp3@64ab7d24c479d736a83b8cc666c4a776fca30fda"),
        new("rafael", "portuguese", "hf://kyutai/pocket-tts/g-Vi8PgmSY0-enhanced-v2.wav@64ab7d24c479d736a83b8cc666c4a776fca30fda"),
        new("estelle", "french", "hf://kyutai/tts-voices/unmute-prod-website/developpeuse-3.wav@1fc7395b7e012e2bbebfca14b942a4ef62ccc899"),
    ];

    /// <summary>Finds a predefined voice by name (case-insensitive).</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PredefinedVoice? voice)
    {
        voice = All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
        return voice is not null;
    }
}
