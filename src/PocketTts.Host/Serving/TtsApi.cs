using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PocketTts.Audio.Encoders;
using PocketTts.Host.Serving.Operations;
using PocketTts.Host.Serving.Streaming;
using PocketTts.Host.Serving.Voices;
using PocketTts.Voices;

namespace PocketTts.Host.Serving;

/// <summary>
/// The HTTP API: the reference server's routes (<c>/</c>, <c>/health</c>, <c>/tts</c>) and OpenAI's speech API.
/// Handlers validate and answer OpenAI error JSON (through <see cref="ApiException"/>); the audio itself is
/// streamed by <see cref="SpeechResult"/>.
/// </summary>
internal static class TtsApi
{
    public const string ModelId = "pocket-tts";

    /// <summary>OpenAI's speech model names, accepted as aliases so clients need no change.</summary>
    public static readonly IReadOnlyList<string> ModelAliases = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"];

    public static IEndpointRouteBuilder MapTtsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", Page).WithName("WebPage").WithSummary("A page to type text, pick or upload a voice, and play the speech as it streams.")
            .Produces<string>(StatusCodes.Status200OK, "text/html").ProducesOpenAiErrors();
        routes.MapGet("/favicon.ico", () => Results.Bytes(WebPage.Favicon, "image/x-icon")).WithName("Favicon").WithSummary("The web page's icon.")
            .Produces<byte[]>(StatusCodes.Status200OK, "image/x-icon");
        routes.MapGet("/health", () => Results.Json(new Dictionary<string, string> { ["status"] = "healthy" })).WithName("Health")
            .WithSummary("Liveness, as the reference answers it: 200 while the process runs.").AvailableWhileNotReady()
            .Produces<Dictionary<string, string>>();
        routes.MapGet("/ready", Ready).WithName("Ready")
            .WithSummary("Readiness: 200 once the model and default voice are loaded; 503 while they load and once shutdown drains.").AvailableWhileNotReady()
            .Produces<Dictionary<string, string>>().Produces<Dictionary<string, string>>(StatusCodes.Status503ServiceUnavailable);
        routes.MapPost("/tts", TtsAsync).WithName("Tts").WithSummary("The reference's endpoint: multipart text + voice_url or voice_wav → streamed audio/wav (response_format, speed and seed as extensions).").DisableAntiforgery()
            .DescribesBody<ApiForms.TtsForm>("multipart/form-data")
            .Produces<Stream>(StatusCodes.Status200OK, "audio/wav", [.. Enum.GetValues<AudioFormat>().Where(format => format != AudioFormat.Wav).Select(format => format.ContentType())])
            .ProducesOpenAiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests);
        routes.MapPost("/v1/audio/speech", SpeechAsync).WithName("CreateSpeech").WithSummary("OpenAI's speech endpoint.")
            .DescribesBody<SpeechRequest>("application/json")
            .Produces<Stream>(StatusCodes.Status200OK, "audio/mpeg", [.. Enum.GetValues<AudioFormat>().Skip(1).Select(format => format.ContentType()), "text/event-stream"])
            .ProducesOpenAiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests);
        routes.MapGet("/v1/audio/speech/stream", SpeechSocket.RunAsync).WithName("StreamSpeech")
            .WithSummary("WebSocket: speaks text while it is still being sent (start, text, flush, close messages → binary audio and JSON events; see docs/server.md).")
            .ProducesOpenAiErrors(StatusCodes.Status400BadRequest);
        routes.MapGet("/v1/models", ListModels).WithName("ListModels").WithSummary("The model and the OpenAI model names it answers to.").ProducesOpenAiErrors();
        routes.MapGet("/v1/models/{id}", GetModel).WithName("GetModel").ProducesOpenAiErrors(StatusCodes.Status404NotFound);
        routes.MapGet("/v1/audio/voices", (SpeechServer server) => Results.Json(new { @object = "list", data = server.Voices.List() })).WithName("ListVoices")
            .WithSummary("Every voice a request may name.").ProducesOpenAiErrors();
        routes.MapPost("/v1/audio/voices", RegisterVoiceAsync).WithName("RegisterVoice").WithSummary("Registers an uploaded WAV/MP3/.safetensors voice under a name.").DisableAntiforgery()
            .DescribesBody<ApiForms.VoiceUploadForm>("multipart/form-data").Produces<VoiceInfo>(StatusCodes.Status201Created)
            .ProducesOpenAiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);
        return routes;
    }

    private static IResult Ready(ServerReadiness readiness)
    {
        ReadinessState state = readiness.State;
        return Results.Json(new Dictionary<string, string> { ["status"] = state.ToString().ToLowerInvariant() },
                            statusCode: state == ReadinessState.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Page(SpeechServer server) => Results.Content(WebPage.Render(server.Loaded.Language, server.Encoders.Available), "text/html; charset=utf-8");

    private static async Task<IResult> TtsAsync(HttpRequest request, SpeechServer server, CancellationToken cancellationToken)
    {
        IFormCollection form = await UploadedForm.ReadAsync(request, cancellationToken);
        string text = server.ValidateText(form["text"], "text");
        string? voiceUrl = form["voice_url"];
        IFormFile? upload = form.Files.GetFile("voice_wav");
        if (!string.IsNullOrEmpty(voiceUrl) && upload is not null)
            throw ApiException.BadRequest("Give either voice_url or voice_wav, not both.", "voice_wav", "conflicting_voice");
        byte[]? uploaded = upload is null ? null : await UploadedForm.ReadFileAsync(upload, server.Options.MaxUploadBytes, "voice_wav", cancellationToken);
        VoiceState voice;
        using (ServerMetrics.Tracing.StartActivity("voice.resolve"))
        {
            voice = uploaded is not null ? await server.Voices.FromUploadAsync(uploaded, upload!.FileName)
                : string.IsNullOrEmpty(voiceUrl) ? await server.Voices.GetAsync(null, cancellationToken) : await server.Voices.FromReferenceAsync(voiceUrl, cancellationToken);
        }
        AudioFormat format = SpeechParameters.Format(form["response_format"], AudioFormat.Wav);
        float speed = SpeechParameters.Speed(UploadedForm.ReadFloat(form, "speed"));
        var options = server.OptionsFor(UploadedForm.ReadInt(form, "seed"), UploadedForm.ReadBool(form, "natural_pauses"), UploadedForm.ReadBool(form, "normalize"));
        var job = new SpeechJob(text, voice, options, format, speed, FileName: "generated_speech." + format.Name());
        return await server.StartAsync(job, cancellationToken);
    }

    private static async Task<IResult> SpeechAsync(HttpRequest request, SpeechServer server, CancellationToken cancellationToken)
    {
        RequestContentType.RequireJson(request);
        SpeechRequest body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SpeechRequest>(request.Body, cancellationToken: cancellationToken)
                ?? throw ApiException.BadRequest("The request body is empty: send a JSON object.", code: "invalid_json");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"We could not parse the JSON body of your request: {e.Message}", code: "invalid_json");
        }
        if (string.IsNullOrWhiteSpace(body.Model))
            throw ApiException.BadRequest($"model is required (any name is accepted; this server runs {ModelId}).", "model", "missing_required_parameter");
        string text = server.ValidateText(body.Input, "input");

        // OpenAI's default is mp3, which needs ffmpeg.
        AudioFormat format = SpeechParameters.Format(body.ResponseFormat, server.Encoders.FfmpegPath is null ? AudioFormat.Wav : AudioFormat.Mp3);
        float speed = SpeechParameters.Speed(body.Speed);

        bool sse = body.StreamFormat?.ToLowerInvariant() switch
        {
            null or "audio" => false,
            "sse" => true,
            _ => throw ApiException.BadRequest($"stream_format '{body.StreamFormat}' is not one of audio, sse.", "stream_format", "invalid_stream_format"),
        };

        server.Encoders.EnsureAvailable(format);
        VoiceState voice;
        using (ServerMetrics.Tracing.StartActivity("voice.resolve"))
            voice = await server.Voices.GetAsync(body.ReadVoiceName(), cancellationToken);
        var job = new SpeechJob(text, voice, server.OptionsFor(body.Seed, body.NaturalPauses, body.Normalize, body.NormalizeLanguage), format, speed, sse);
        return await server.StartAsync(job, cancellationToken);
    }

    private static IResult ListModels() => Results.Json(new { @object = "list", data = ModelIds().Select(ModelObject) });

    private static IResult GetModel(string id) =>
        ModelIds().Contains(id, StringComparer.Ordinal)
            ? Results.Json(ModelObject(id))
            : throw new ApiException(StatusCodes.Status404NotFound, $"The model '{id}' does not exist. Models: {string.Join(", ", ModelIds())}.", "model", "model_not_found");

    private static IEnumerable<string> ModelIds() => [ModelId, .. ModelAliases];

    private static object ModelObject(string id) => new { id, @object = "model", created = 0, owned_by = "kyutai" };

    private static async Task<IResult> RegisterVoiceAsync(HttpRequest request, SpeechServer server, CancellationToken cancellationToken)
    {
        IFormCollection form = await UploadedForm.ReadAsync(request, cancellationToken);
        string? name = form["name"];
        if (string.IsNullOrEmpty(name))
            throw ApiException.BadRequest("name is required: the name to register the voice under.", "name", "missing_required_parameter");
        IFormFile file = form.Files.GetFile("file") ?? form.Files.GetFile("audio_sample")
            ?? throw ApiException.BadRequest("file is required: a WAV or MP3 sample, or an exported .safetensors voice state.", "file", "missing_required_parameter");
        byte[] bytes = await UploadedForm.ReadFileAsync(file, server.Options.MaxUploadBytes, "file", cancellationToken);
        VoiceInfo voice = await server.Voices.RegisterAsync(name, bytes, file.FileName);
        return Results.Json(voice, statusCode: StatusCodes.Status201Created);
    }
}
