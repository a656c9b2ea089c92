using System.Text.Json;
using System.Text.Json.Serialization;

namespace PocketTts.Host.Serving;

/// <summary>
/// The body of OpenAI's <c>POST /v1/audio/speech</c>. <c>instructions</c> is accepted and ignored (Pocket TTS has no
/// style prompt); <c>seed</c> (reproducible output), <c>natural_pauses</c>, <c>normalize</c> and
/// <c>normalize_language</c> (see docs/text.md) are this server's extensions.
/// </summary>
internal sealed record SpeechRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("input")]
    public string? Input { get; init; }

    /// <summary>A voice name, or OpenAI's newer <c>{"id": "…"}</c> object.</summary>
    [JsonPropertyName("voice")]
    public JsonElement? Voice { get; init; }

    [JsonPropertyName("response_format")]
    public string? ResponseFormat { get; init; }

    [JsonPropertyName("speed")]
    public float? Speed { get; init; }

    [JsonPropertyName("stream_format")]
    public string? StreamFormat { get; init; }

    [JsonPropertyName("instructions")]
    public string? Instructions { get; init; }

    [JsonPropertyName("seed")]
    public int? Seed { get; init; }

    [JsonPropertyName("natural_pauses")]
    public bool? NaturalPauses { get; init; }

    [JsonPropertyName("normalize")]
    public bool? Normalize { get; init; }

    /// <summary>The language to normalise the text in ("french"), instead of the model's.</summary>
    [JsonPropertyName("normalize_language")]
    public string? NormalizeLanguage { get; init; }

    /// <summary>The voice's name: the string, or the object's <c>id</c>.</summary>
    /// <exception cref="ApiException">400: <c>voice</c> is neither.</exception>
    public string? ReadVoiceName() => Voice switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Object } v when v.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String => id.GetString(),
        { ValueKind: JsonValueKind.Null } or null => null,
        _ => throw ApiException.BadRequest("voice must be a string (a voice name) or an object with an \"id\".", "voice", "invalid_type"),
    };
}
