using PocketTts.Generation;
using PocketTts.Hub;

namespace PocketTts;

/// <summary>
/// What <see cref="PocketTtsSpeechClient.LoadAsync"/> loads, with the command line's defaults: the reference's default
/// model (<c>english</c>) and that language's voice, files from the shared Hugging Face cache (downloaded on first use,
/// with <c>HF_TOKEN</c>, <c>HF_ENDPOINT</c> and <c>HF_HUB_OFFLINE</c> honoured unless <see cref="Hub"/> says otherwise).
/// Settable, for the options pattern of <see cref="PocketTtsServiceCollectionExtensions.AddPocketTts"/>.
/// </summary>
public sealed record PocketTtsOptions
{
    /// <summary>A built-in language (english, french_24l, dutch, english_drifting_26_09, …); exclusive with <see cref="ConfigPath"/>.</summary>
    public string? Language { get; set; }

    /// <summary>A model configuration YAML file in the reference's schema.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>A training checkpoint (.pt) loaded instead of the configuration's weights.</summary>
    public string? CheckpointPath { get; set; }

    /// <summary>
    /// The default voice: a predefined voice name, a WAV/MP3 recording to clone or an exported <c>.safetensors</c> state,
    /// as a path, an http(s) URL or an <c>hf://</c> reference. Null: the language's voice (alba for English), or the
    /// recording behind alba for custom weights.
    /// </summary>
    public string? Voice { get; set; }

    /// <summary>Threads per operation of the managed backend (0 = one per core).</summary>
    public int Threads { get; set; }

    /// <summary>Quantize the FlowLM transformer to int8 at load.</summary>
    public bool Quantize { get; set; }

    /// <summary>How to generate; the reference's defaults when null.</summary>
    public GenerationOptions? Generation { get; set; }

    /// <summary>Where files come from and go; <see cref="HubOptions.FromEnvironment()"/> when null.</summary>
    public HubOptions? Hub { get; set; }

    /// <summary>The ffmpeg executable for mp3, aac and flac output; when null, the one on PATH, if any.</summary>
    public string? FfmpegPath { get; set; }

    /// <summary>Let voice URLs reach loopback and private addresses (refused by default, see docs/server.md).</summary>
    public bool AllowPrivateVoiceUrls { get; set; }
}
