using System.Text.Json.Serialization;

namespace PocketTts.Host.Serving.Voices;

/// <summary>A voice as <c>GET /v1/audio/voices</c> lists it.</summary>
/// <param name="Id">The name to pass as <c>voice</c>.</param>
/// <param name="Source"><c>predefined</c>, <c>directory</c> (from --voices-dir), <c>registered</c> (POSTed), <c>default</c> (--voice) or <c>alias</c> (an OpenAI voice name, spoken by the default voice).</param>
internal sealed record VoiceInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source)
{
    [JsonPropertyName("object")]
    public string Object { get; } = "voice";
}
