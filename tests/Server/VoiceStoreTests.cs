using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary><c>--voice-store</c>: servers sharing a folder share their registered voices.</summary>
public sealed class VoiceStoreTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("pocket-tts-voice-store-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private static MultipartFormDataContent Registration(string name, byte[] file, string fileName) =>
        new() { { new StringContent(name), "name" }, { new ByteArrayContent(file), "file", fileName } };

    private static async Task<List<string>> RegisteredAsync(TestServer server) =>
        [.. (await server.Http.GetFromJsonAsync<JsonElement>("v1/audio/voices")).GetProperty("data").EnumerateArray()
            .Where(voice => voice.GetProperty("source").GetString() == "registered").Select(voice => voice.GetProperty("id").GetString()!)];

    [Fact]
    public async Task A_voice_registered_on_one_server_speaks_through_another()
    {
        await using TestServer a = await TestServer.StartAsync(o => o with { VoiceStore = _store });
        await using TestServer b = await TestServer.StartAsync(o => o with { VoiceStore = _store });

        using HttpResponseMessage created = await a.Http.PostAsync("v1/audio/voices", Registration("Narrator", await File.ReadAllBytesAsync(TinyModel.RefWav), "narrator.wav"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        (await RegisteredAsync(b)).ShouldBe(["narrator"]);
        using HttpResponseMessage speech = await b.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Registered elsewhere.", voice: "NARRATOR"));
        speech.StatusCode.ShouldBe(HttpStatusCode.OK, await speech.Content.ReadAsStringAsync());
        AudioDecoding.Pcm16(await speech.Content.ReadAsByteArrayAsync()).ShouldBe(AudioDecoding.ToPcm16(await b.ExpectedAsync("Registered elsewhere.", voice: "ref")));

        Directory.GetFiles(Path.Combine(_store, "states")).Single().ShouldEndWith(".safetensors");
        File.ReadAllText(Path.Combine(_store, "names", "narrator.voice")).Trim()
            .ShouldBe(Path.GetFileNameWithoutExtension(Directory.GetFiles(Path.Combine(_store, "states")).Single()), "the name holds the content hash of its state");
    }

    [Fact]
    public async Task Past_the_count_limit_the_oldest_registration_goes_for_every_server()
    {
        await using TestServer a = await TestServer.StartAsync(o => o with { VoiceStore = _store, MaxRegisteredVoices = 2 });
        await using TestServer b = await TestServer.StartAsync(o => o with { VoiceStore = _store, MaxRegisteredVoices = 2 });
        byte[] state = await File.ReadAllBytesAsync(TinyModel.VoiceState);
        foreach (string name in (string[])["first", "second", "third"])
        {
            (await a.Http.PostAsync("v1/audio/voices", Registration(name, state, name + ".safetensors"))).StatusCode.ShouldBe(HttpStatusCode.Created);
            await Task.Delay(20); // distinct registration times
        }

        (await RegisteredAsync(b)).ShouldBe(["second", "third"]);
        using HttpResponseMessage gone = await b.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Gone.", voice: "first"));
        await gone.ShouldBeOpenAiErrorAsync(400, "Unknown voice 'first'");
        Directory.GetFiles(Path.Combine(_store, "states")).Length.ShouldBe(1, "the same state under three names is stored once");
    }
}
