using System.Net;
using System.Text;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>Bad requests get the right status and OpenAI's error JSON, naming the parameter.</summary>
public sealed class BadRequestTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> PostJsonAsync(string json) =>
        _server.Http.PostAsync("v1/audio/speech", new StringContent(json, Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData("""{"model":"tts-1","input":"","voice":"tiny"}""", "input is empty", "input")]
    [InlineData("""{"model":"tts-1","input":"   ","voice":"tiny"}""", "input is empty", "input")]
    [InlineData("""{"model":"tts-1","voice":"tiny"}""", "input is empty", "input")]
    [InlineData("""{"input":"Hi.","voice":"tiny"}""", "model is required", "model")]
    [InlineData("""{"model":"tts-1","input":"Hi.","voice":"nobody"}""", "Unknown voice 'nobody'", "voice")]
    [InlineData("""{"model":"tts-1","input":"Hi.","voice":42}""", "voice must be a string", "voice")]
    [InlineData("""{"model":"tts-1","input":"Hi.","voice":"tiny","response_format":"ogg"}""", "response_format 'ogg' is not one of mp3, opus, aac, flac, wav, pcm", "response_format")]
    [InlineData("""{"model":"tts-1","input":"Hi.","voice":"tiny","speed":5}""", "speed 5 is out of range: use 0.25 to 4", "speed")]
    [InlineData("""{"model":"tts-1","input":"Hi.","voice":"tiny","speed":0.1}""", "out of range", "speed")]
    [InlineData("""{"model":"tts-1","input":"Hi.","voice":"tiny","stream_format":"websocket"}""", "stream_format 'websocket' is not one of audio, sse", "stream_format")]
    public async Task Invalid_speech_requests_get_400_naming_the_parameter(string json, string message, string param)
    {
        using HttpResponseMessage response = await PostJsonAsync(json);
        (await response.ShouldBeOpenAiErrorAsync(400, message, param)).GetProperty("type").GetString().ShouldBe("invalid_request_error");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"model":"tts-1","input":5}""")]
    [InlineData("")]
    public async Task A_body_that_is_not_the_json_object_gets_400(string json)
    {
        using HttpResponseMessage response = await PostJsonAsync(json);
        await response.ShouldBeOpenAiErrorAsync(400, "JSON");
    }

    [Fact]
    public async Task Instructions_are_accepted_and_a_voice_object_names_a_voice()
    {
        using HttpResponseMessage response = await PostJsonAsync("""{"model":"gpt-4o-mini-tts","input":"Hi.","voice":{"id":"tiny"},"instructions":"Speak cheerfully.","response_format":"pcm","seed":7}""");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        AudioDecoding.Pcm16(await response.Content.ReadAsByteArrayAsync()).ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync("Hi.")));
    }

    [Fact]
    public async Task Corrupt_audio_uploads_get_400_saying_what_is_accepted()
    {
        byte[] garbage = Encoding.ASCII.GetBytes("this is not audio at all, just text pretending");
        using HttpResponseMessage response = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "x"), ("voice_wav", garbage)));
        (await response.ShouldBeOpenAiErrorAsync(400, "unrecognised audio format", "voice")).GetProperty("code").GetString().ShouldBe("invalid_audio");

        byte[] truncated = (await File.ReadAllBytesAsync(TinyModel.RefWav))[..30];
        using HttpResponseMessage broken = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "x"), ("voice_wav", truncated)));
        await broken.ShouldBeOpenAiErrorAsync(400, "", "voice");
    }

    [Theory]
    [InlineData("speed", "fast", "speed must be a number, not 'fast'")]
    [InlineData("speed", "0.1", "speed 0.1 is out of range: use 0.25 to 4")]
    [InlineData("response_format", "ogg", "response_format 'ogg' is not one of mp3, opus, aac, flac, wav, pcm")]
    public async Task The_tts_form_s_speed_and_format_are_checked_as_the_speech_endpoint_checks_them(string field, string value, string message)
    {
        using HttpResponseMessage response = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "Hi."), (field, value)));
        await response.ShouldBeOpenAiErrorAsync(400, message, field);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_in_the_same_error_shape()
    {
        using HttpResponseMessage missing = await _server.Http.GetAsync("v1/nothing");
        await missing.ShouldBeOpenAiErrorAsync(404, "No endpoint GET /v1/nothing");
        using HttpResponseMessage wrongMethod = await _server.Http.GetAsync("v1/audio/speech");
        await wrongMethod.ShouldBeOpenAiErrorAsync(405, "GET is not allowed");
        using HttpResponseMessage model = await _server.Http.GetAsync("v1/models/gpt-5");
        await model.ShouldBeOpenAiErrorAsync(404, "The model 'gpt-5' does not exist", "model");
    }
}
