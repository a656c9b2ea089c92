using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>Registered voices are bounded by count and by the memory of their states; the least recently used go first.</summary>
public sealed class RegisteredVoiceLimitsTests
{
    private static async Task RegisterAsync(TestServer server, string name)
    {
        var form = new MultipartFormDataContent { { new StringContent(name), "name" } };
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(TinyModel.VoiceState)), "file", name + ".safetensors");
        using HttpResponseMessage created = await server.Http.PostAsync("v1/audio/voices", form);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    private static async Task<string[]> RegisteredAsync(TestServer server)
    {
        JsonElement list = await server.Http.GetFromJsonAsync<JsonElement>("v1/audio/voices");
        return [.. list.GetProperty("data").EnumerateArray().Where(v => v.GetProperty("source").GetString() == "registered").Select(v => v.GetProperty("id").GetString()!)];
    }

    private static async Task UseAsync(TestServer server, string voice)
    {
        using HttpResponseMessage speech = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Hi.", voice: voice));
        speech.StatusCode.ShouldBe(HttpStatusCode.OK, await speech.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Past_the_count_limit_the_least_recently_used_voice_is_evicted()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { MaxRegisteredVoices = 2 });
        await RegisterAsync(server, "a");
        await RegisterAsync(server, "b");
        await UseAsync(server, "a");   // b is now the least recently used

        await RegisterAsync(server, "c");

        (await RegisteredAsync(server)).ShouldBe(["a", "c"], ignoreOrder: true);
        using HttpResponseMessage gone = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Hi.", voice: "b"));
        await gone.ShouldBeOpenAiErrorAsync(400, "Unknown voice 'b'", "voice");
    }

    [Fact]
    public async Task Past_the_byte_limit_the_oldest_voices_are_evicted_and_one_too_large_is_refused()
    {
        long size;
        await using (TestServer probe = await TestServer.StartAsync())
            size = (await probe.VoiceAsync("tiny")).MemoryBytes;
        await using TestServer server = await TestServer.StartAsync(o => o with { MaxRegisteredVoiceBytes = size * 2 + size / 2 });
        await RegisterAsync(server, "a");
        await RegisterAsync(server, "b");
        await RegisterAsync(server, "c");

        (await RegisteredAsync(server)).ShouldBe(["b", "c"], ignoreOrder: true);

        await using TestServer tiny = await TestServer.StartAsync(o => o with { MaxRegisteredVoiceBytes = size / 2 });
        var form = new MultipartFormDataContent { { new StringContent("big"), "name" } };
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(TinyModel.VoiceState)), "file", "big.safetensors");
        using HttpResponseMessage refused = await tiny.Http.PostAsync("v1/audio/voices", form);
        await refused.ShouldBeOpenAiErrorAsync(413, "--max-registered-voices-mb", "file");
    }
}
