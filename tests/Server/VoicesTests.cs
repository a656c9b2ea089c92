using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>Voices: the listing, registration by POST, the voices folder, and the models listing.</summary>
public sealed class VoicesTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<Dictionary<string, string>> ListAsync() => ListAsync(_server);

    private static async Task<Dictionary<string, string>> ListAsync(TestServer server)
    {
        JsonElement list = await server.Http.GetFromJsonAsync<JsonElement>("v1/audio/voices");
        list.GetProperty("object").GetString().ShouldBe("list");
        return list.GetProperty("data").EnumerateArray().ToDictionary(v => v.GetProperty("id").GetString()!, v => v.GetProperty("source").GetString()!);
    }

    private static MultipartFormDataContent Registration(string name, byte[] file, string fileName)
    {
        var form = new MultipartFormDataContent { { new StringContent(name), "name" } };
        form.Add(new ByteArrayContent(file), "file", fileName);
        return form;
    }

    [Fact]
    public async Task The_listing_names_the_default_the_folder_voices_and_the_openai_aliases()
    {
        Dictionary<string, string> voices = await ListAsync();
        voices["tiny"].ShouldBe("default");
        voices["ref"].ShouldBe("directory");
        voices["alloy"].ShouldBe("alias");
        voices.ShouldNotContainKey("alba", "predefined voices need a built-in language; the tiny model is a custom --config");
    }

    [Fact]
    public async Task A_registered_voice_is_listed_and_speaks_like_its_sample()
    {
        byte[] sample = await File.ReadAllBytesAsync(TinyModel.RefWav);
        using HttpResponseMessage created = await _server.Http.PostAsync("v1/audio/voices", Registration("narrator", sample, "narrator.wav"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString().ShouldBe("narrator");
        (await ListAsync())["narrator"].ShouldBe("registered");

        using HttpResponseMessage speech = await _server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Registered.", voice: "narrator"));
        AudioDecoding.Pcm16(await speech.Content.ReadAsByteArrayAsync()).ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync("Registered.", voice: "ref")));
    }

    [Fact]
    public async Task An_exported_state_can_be_registered_too()
    {
        byte[] state = await File.ReadAllBytesAsync(TinyModel.VoiceState);
        using HttpResponseMessage created = await _server.Http.PostAsync("v1/audio/voices", Registration("copy", state, "copy.safetensors"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        using HttpResponseMessage speech = await _server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Same voice.", voice: "copy"));
        AudioDecoding.Pcm16(await speech.Content.ReadAsByteArrayAsync()).ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync("Same voice.")));
    }

    [Fact]
    public async Task A_state_for_another_model_is_refused_from_memory_naming_no_server_path()
    {
        // One layer too many: read from the uploaded bytes, no temporary file whose path could leak into the message.
        Stages.FlowLmSnapshot s = Voices.VoiceStateFile.Read(await File.ReadAllBytesAsync(TinyModel.VoiceState));
        byte[] wider = Voices.VoiceStateFile.ToBytes(new Stages.FlowLmSnapshot(s.Offset, s.Heads, s.HeadDim, [.. s.Keys, s.Keys[0]], [.. s.Values, s.Values[0]]));

        using HttpResponseMessage refused = await _server.Http.PostAsync("v1/audio/voices", Registration("wider", wider, "wider.safetensors"));

        JsonElement error = await refused.ShouldBeOpenAiErrorAsync(400, "not a voice state for this model: the file is a voice state for", "voice");
        error.ToString().ShouldNotContain(Path.GetTempPath());
    }

    [Fact]
    public async Task A_fifo_in_the_voices_folder_is_not_a_voice_and_does_not_block_the_server()
    {
        await using TestServer server = await TestServer.StartAsync(options =>
        {
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(options.VoicesDirectory!, "pipe.wav"));
            mkfifo.WaitForExit();
            return options;
        });

        Dictionary<string, string> voices = await ListAsync(server);
        using HttpResponseMessage speech = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Still here.", voice: "pipe"));

        voices.ShouldNotContainKey("pipe");
        voices.ShouldContainKey("ref");
        await speech.ShouldBeOpenAiErrorAsync(400, "Unknown voice 'pipe'", "voice");
    }

    [Fact]
    public async Task Registration_refuses_taken_names_bad_names_and_bad_files()
    {
        byte[] sample = await File.ReadAllBytesAsync(TinyModel.RefWav);
        using HttpResponseMessage taken = await _server.Http.PostAsync("v1/audio/voices", Registration("tiny", sample, "a.wav"));
        await taken.ShouldBeOpenAiErrorAsync(409, "cannot be replaced", "name");

        using HttpResponseMessage badName = await _server.Http.PostAsync("v1/audio/voices", Registration("../evil", sample, "a.wav"));
        await badName.ShouldBeOpenAiErrorAsync(400, "1 to 64 characters", "name");

        using HttpResponseMessage badFile = await _server.Http.PostAsync("v1/audio/voices", Registration("noise", "RIFF...."u8.ToArray(), "a.wav"));
        await badFile.ShouldBeOpenAiErrorAsync(400, "", "voice");
        (await ListAsync()).ShouldNotContainKey("noise");

        using HttpResponseMessage noFile = await _server.Http.PostAsync("v1/audio/voices", new MultipartFormDataContent { { new StringContent("x"), "name" } });
        await noFile.ShouldBeOpenAiErrorAsync(400, "file is required", "file");
    }

    [Fact]
    public async Task Models_are_listed_openai_style()
    {
        JsonElement models = await _server.Http.GetFromJsonAsync<JsonElement>("v1/models");
        string[] ids = [.. models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
        ids.ShouldContain("pocket-tts");
        ids.ShouldContain("tts-1");
        models.GetProperty("data")[0].GetProperty("object").GetString().ShouldBe("model");
        (await _server.Http.GetFromJsonAsync<JsonElement>("v1/models/tts-1")).GetProperty("id").GetString().ShouldBe("tts-1");
    }
}
