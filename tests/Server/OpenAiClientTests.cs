using System.ClientModel;
using OpenAI;
using OpenAI.Audio;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>The official OpenAI .NET client against a real server: every response format decodes to the model's own output.</summary>
public sealed class OpenAiClientTests : IAsyncLifetime
{
    private const string Text = "Hello from the OpenAI client.";
    private TestServer _server = null!;
    private short[] _expected = [];

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _expected = AudioDecoding.ToPcm16(await _server.ExpectedAsync(Text));
        _expected.Length.ShouldBeGreaterThan(0);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private AudioClient Client(string model = "tts-1") =>
        new(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1") });

    private async Task<byte[]> SpeakAsync(GeneratedSpeechFormat format, string voice = "tiny")
    {
        ClientResult<BinaryData> result = await Client().GenerateSpeechAsync(Text, new GeneratedSpeechVoice(voice), new SpeechGenerationOptions { ResponseFormat = format });
        return result.Value.ToArray();
    }

    [Fact]
    public async Task Wav_is_the_models_output_sample_for_sample()
    {
        AudioDecoding.Wav(await SpeakAsync(GeneratedSpeechFormat.Wav)).ShouldBe(_expected);
    }

    [Fact]
    public async Task Pcm_is_raw_16_bit_samples_without_a_header()
    {
        AudioDecoding.Pcm16(await SpeakAsync(GeneratedSpeechFormat.Pcm)).ShouldBe(_expected);
    }

    [Fact]
    public async Task Opus_is_a_valid_ogg_stream_that_decodes_to_the_same_length_and_signal()
    {
        OggOpusReader.Result opus = OggOpusReader.Decode(await SpeakAsync(GeneratedSpeechFormat.Opus));

        opus.InputSampleRate.ShouldBe(24000);
        opus.PreSkip.ShouldBeGreaterThan(0);
        opus.Samples.Length.ShouldBe(_expected.Length, "pre-skip and end trimming give back exactly the samples encoded");
        AudioDecoding.Correlation(_expected, AudioDecoding.ToPcm16(opus.Samples)).ShouldBeGreaterThan(0.8);
    }

    [Theory]
    [InlineData("mp3")]
    [InlineData("aac")]
    [InlineData("flac")]
    public async Task Ffmpeg_formats_decode_back_to_the_speech(string name)
    {
        GeneratedSpeechFormat format = name switch { "mp3" => GeneratedSpeechFormat.Mp3, "aac" => GeneratedSpeechFormat.Aac, _ => GeneratedSpeechFormat.Flac };
        short[] decoded = await AudioDecoding.FfmpegAsync(await SpeakAsync(format), name == "aac" ? "aac" : name);

        if (name == "flac")
        {
            decoded.ShouldBe(_expected, "flac is lossless");
            return;
        }
        // Lossy codecs add priming samples and pad the last frame: the length is close, the signal correlates at some small lag.
        decoded.Length.ShouldBeInRange(_expected.Length, _expected.Length + 4096);
        double best = Enumerable.Range(0, 2200).Max(lag => AudioDecoding.Correlation(_expected, decoded, lag));
        best.ShouldBeGreaterThan(0.8);
    }

    [Fact]
    public async Task Openai_voice_names_speak_with_the_default_voice()
    {
        AudioDecoding.Pcm16(await SpeakAsync(GeneratedSpeechFormat.Pcm, "alloy")).ShouldBe(_expected);
    }

    [Fact]
    public async Task Speed_two_halves_the_length()
    {
        ClientResult<BinaryData> result = await Client().GenerateSpeechAsync(Text, new GeneratedSpeechVoice("tiny"),
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm, SpeedRatio = 2f });
        short[] fast = AudioDecoding.Pcm16(result.Value.ToArray());
        fast.Length.ShouldBe((int)Math.Round(_expected.Length / 2.0));
    }

    [Fact]
    public async Task Sse_streaming_through_the_client_yields_the_same_audio_and_usage()
    {
#pragma warning disable OPENAI001 // streaming speech is marked experimental in the client
        var audio = new List<byte>();
        long outputTokens = -1;
        var stream = await Client("gpt-4o-mini-tts").GenerateSpeechStreamingAsync(Text, new GeneratedSpeechVoice("tiny"),
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm });
        await foreach (StreamingSpeechUpdate update in stream)
        {
            if (update is StreamingSpeechAudioDeltaUpdate delta)
                audio.AddRange(delta.AudioBytes.ToArray());
            else if (update is StreamingSpeechAudioDoneUpdate done)
                outputTokens = done.Usage.OutputTokenCount;
        }
#pragma warning restore OPENAI001
        AudioDecoding.Pcm16([.. audio]).ShouldBe(_expected);
        outputTokens.ShouldBe(_expected.Length / 1920, "one output token per 80 ms frame");
    }

    [Fact]
    public async Task Errors_reach_the_client_as_openai_errors()
    {
        ClientResultException error = await Should.ThrowAsync<ClientResultException>(() =>
            Client().GenerateSpeechAsync(Text, new GeneratedSpeechVoice("nobody"), new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav }));
        error.Status.ShouldBe(400);
        error.Message.ShouldContain("Unknown voice 'nobody'");
    }
}
