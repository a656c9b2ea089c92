using System.Net.WebSockets;
using System.Text.Json;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Server.SpeechStream;

/// <summary><c>/v1/audio/speech/stream</c> through a client nobody here wrote: npm's <c>ws</c>, run by node.</summary>
public sealed class SpeechStreamNodeTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [NodeWsFact]
    public async Task The_ws_package_speaks_a_text_sent_word_by_word()
    {
        const string Text = "Hello there! How are you doing today? And that is all.";
        var url = new UriBuilder(_server.BaseAddress) { Scheme = "ws", Path = "v1/audio/speech/stream" }.Uri;

        (int exitCode, string output) = ProcessRunner.Run(NodeWsFactAttribute.NodePath!, $"speech-stream-client.mjs {url} \"{Text}\"", NodeWsFactAttribute.Folder, TimeSpan.FromMinutes(2));

        exitCode.ShouldBe(0, output);
        JsonElement result = JsonDocument.Parse(output).RootElement;
        result.GetProperty("code").GetInt32().ShouldBe((int)WebSocketCloseStatus.NormalClosure);
        result.GetProperty("events").EnumerateArray().Last().GetProperty("type").GetString().ShouldBe("done");
        AudioDecoding.Pcm16(Convert.FromBase64String(result.GetProperty("audio").GetString()!))
            .ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync(Text)));
    }
}
