using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace PocketTts.Host.Serving;

/// <summary>
/// The multipart forms the API reads (<see cref="UploadedForm"/> parses them field by field), as types, so that the
/// API document (<c>/openapi/v1.json</c>) can describe them.
/// </summary>
internal static class ApiForms
{
    /// <summary>The form of the reference's <c>POST /tts</c>.</summary>
    /// <param name="Text">The text to speak (required).</param>
    /// <param name="VoiceUrl">A voice name, or an http(s):// or hf:// URL of a WAV/MP3 sample or exported .safetensors state.</param>
    /// <param name="VoiceWav">An uploaded WAV/MP3 sample or .safetensors state; not with <paramref name="VoiceUrl"/>.</param>
    /// <param name="Seed">Seed of the noise, for reproducible output.</param>
    /// <param name="NaturalPauses">Pauses at punctuation on or off for this request.</param>
    /// <param name="Normalize">Text normalisation on or off for this request.</param>
    /// <param name="ResponseFormat">wav (the default), pcm, opus, mp3, aac or flac.</param>
    /// <param name="Speed">Tempo, 0.25 to 4 (default 1).</param>
    internal sealed record TtsForm(
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("voice_url")] string? VoiceUrl,
        [property: JsonPropertyName("voice_wav")] IFormFile? VoiceWav,
        [property: JsonPropertyName("seed")] int? Seed,
        [property: JsonPropertyName("natural_pauses")] bool? NaturalPauses,
        [property: JsonPropertyName("normalize")] bool? Normalize,
        [property: JsonPropertyName("response_format")] string? ResponseFormat,
        [property: JsonPropertyName("speed")] float? Speed);

    /// <summary>The form of <c>POST /v1/audio/voices</c>.</summary>
    /// <param name="Name">The name to register the voice under (required).</param>
    /// <param name="File">A WAV or MP3 sample, or an exported .safetensors voice state (also accepted as <c>audio_sample</c>).</param>
    internal sealed record VoiceUploadForm(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("file")] IFormFile File);
}
