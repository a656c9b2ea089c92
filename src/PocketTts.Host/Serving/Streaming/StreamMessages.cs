using System.Text.Json;

namespace PocketTts.Host.Serving.Streaming;

/// <summary>
/// The JSON messages of <c>/v1/audio/speech/stream</c> (docs/server.md): what the client sends (<c>start</c> first,
/// then <c>text</c>, <c>flush</c>, <c>close</c>) and the events the server sends between the binary audio messages.
/// </summary>
internal static class StreamMessages
{
    /// <summary>The options of a session, from its <c>start</c> message.</summary>
    internal sealed record Start(string? Voice, string? ResponseFormat, int? Seed, bool? NaturalPauses, bool? Normalize, string? NormalizeLanguage);

    /// <summary>Reads the <c>type</c> of a client message, and its fields.</summary>
    /// <exception cref="ApiException">400: not a JSON object with a known string <c>type</c>.</exception>
    public static (string Type, JsonElement Message) Parse(ReadOnlySpan<byte> utf8)
    {
        JsonElement message;
        try
        {
            message = JsonDocument.Parse(utf8.ToArray()).RootElement;
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"A message is not JSON: {e.Message}", code: "invalid_json");
        }
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("type", out JsonElement type) || type.ValueKind != JsonValueKind.String)
            throw ApiException.BadRequest("A message must be a JSON object with a string \"type\": start, text, flush or close.", "type", "invalid_message");
        return (type.GetString()!, message);
    }

    /// <summary>The options of a <c>start</c> message.</summary>
    /// <exception cref="ApiException">400: a field has the wrong type.</exception>
    public static Start ReadStart(JsonElement message) => new(
        String(message, "voice"), String(message, "response_format"), Int(message, "seed"), Bool(message, "natural_pauses"), Bool(message, "normalize"),
        String(message, "normalize_language"));

    /// <summary>The text of a <c>text</c> message.</summary>
    /// <exception cref="ApiException">400: no string <c>text</c>.</exception>
    public static string ReadText(JsonElement message) =>
        String(message, "text") ?? throw ApiException.BadRequest("A text message needs a string \"text\".", "text", "missing_required_parameter");

    public static object ChunkStarted(int turn, int chunk, string text) => new { type = "chunk_started", turn, chunk, text };

    public static object ChunkFinished(int turn, int chunk, string text) => new { type = "chunk_finished", turn, chunk, text };

    public static object Done(int frames) => new { type = "done", frames };

    public static object Error(ApiException e) => new { type = "error", error = new { message = e.Message, type = e.Type, param = e.Param, code = e.Code } };

    private static string? String(JsonElement message, string name) => Field(message, name, JsonValueKind.String)?.GetString();

    private static int? Int(JsonElement message, string name) =>
        Field(message, name, JsonValueKind.Number) is { } value
            ? value.TryGetInt32(out int result) ? result : throw ApiException.BadRequest($"{name} must be a whole number.", name, "invalid_type")
            : null;

    private static bool? Bool(JsonElement message, string name)
    {
        if (!message.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw ApiException.BadRequest($"{name} must be true or false.", name, "invalid_type");
    }

    private static JsonElement? Field(JsonElement message, string name, JsonValueKind kind)
    {
        if (!message.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == kind ? value : throw ApiException.BadRequest($"{name} must be a {kind.ToString().ToLowerInvariant()}.", name, "invalid_type");
    }
}
