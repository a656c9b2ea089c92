using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using PocketTts.Backends;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>
/// One interface, two engines: Microsoft.Extensions.AI's <see cref="ITextToSpeechClient"/> over the local model
/// (<see cref="PocketTtsSpeechClient"/>, through the real MEAI pipeline with its logging middleware) and over a real
/// <c>pocket-tts serve</c> (the OpenAI client's adapter) speak the same samples.
/// </summary>
#pragma warning disable CA1001 // disposed in DisposeAsync, as xunit's IAsyncLifetime asks
public sealed class SpeechClientTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string Text = "Hello through Microsoft.Extensions.AI.";
    private TestServer _server = null!;
    private PocketTtsSpeechClient _local = null!;
    private short[] _expected = [];

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _local = new PocketTtsSpeechClient(_server.Model.Model, await _server.VoiceAsync("tiny"), "tiny", TestServer.Generation with { Seed = 7 });
        _expected = AudioDecoding.ToPcm16(await _server.ExpectedAsync(Text));
    }

    public async Task DisposeAsync()
    {
        _local.Dispose();   // does not own the shared model
        await _server.DisposeAsync();
    }

    private ITextToSpeechClient Remote() =>
        new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1") })
            .GetAudioClient("tts-1").AsITextToSpeechClient();

    [Fact]
    public async Task The_local_engine_and_the_server_speak_the_same_samples_through_one_interface()
    {
        var logs = new List<string>();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(logs)));
        using ITextToSpeechClient local = _local.AsBuilder().UseLogging(logging).Build();
        using ITextToSpeechClient remote = Remote();
        var options = new TextToSpeechOptions { VoiceId = "tiny", AudioFormat = "wav" };

        TextToSpeechResponse fromLocal = await local.GetAudioAsync(Text, options);
        TextToSpeechResponse fromServer = await remote.GetAudioAsync(Text, options);

        DataContent a = fromLocal.Contents.OfType<DataContent>().Single();
        DataContent b = fromServer.Contents.OfType<DataContent>().Single();
        a.MediaType.ShouldBe("audio/wav");
        AudioDecoding.Wav(a.Data.ToArray()).ShouldBe(_expected);
        AudioDecoding.Wav(b.Data.ToArray()).ShouldBe(_expected);
        logs.ShouldContain(l => l.Contains("GetAudioAsync", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streaming_opens_carries_the_audio_in_order_and_closes()
    {
        var updates = new List<TextToSpeechResponseUpdate>();
        await foreach (TextToSpeechResponseUpdate update in _local.GetStreamingAudioAsync(Text, new TextToSpeechOptions { AudioFormat = "pcm" }))
            updates.Add(update);

        updates[0].Kind.ShouldBe(TextToSpeechResponseUpdateKind.SessionOpen);
        updates[^1].Kind.ShouldBe(TextToSpeechResponseUpdateKind.SessionClose);
        updates.Select(u => u.ResponseId).Distinct().Count().ShouldBe(1);
        DataContent[] audio = [.. updates.Where(u => u.Kind == TextToSpeechResponseUpdateKind.AudioUpdating).SelectMany(u => u.Contents.OfType<DataContent>())];
        audio.Length.ShouldBeGreaterThan(1);
        audio.ShouldAllBe(c => c.MediaType == "audio/L16;rate=24000;channels=1");
        AudioDecoding.Pcm16([.. audio.SelectMany(c => c.Data.ToArray())]).ShouldBe(_expected);
    }

    [Fact]
    public async Task A_streamed_wav_starts_with_a_header_and_holds_the_same_samples()
    {
        var bytes = new List<byte>();
        await foreach (TextToSpeechResponseUpdate update in _local.GetStreamingAudioAsync(Text))
            bytes.AddRange(update.Contents.OfType<DataContent>().SelectMany(c => c.Data.ToArray()));

        AudioDecoding.Pcm16([.. bytes.Skip(44)]).ShouldBe(_expected);
        System.Text.Encoding.ASCII.GetString([.. bytes.Take(4)]).ShouldBe("RIFF");
    }

    [Fact]
    public async Task Speed_two_halves_the_length_and_a_named_voice_or_file_is_found()
    {
        TextToSpeechResponse fast = await _local.GetAudioAsync(Text, new TextToSpeechOptions { Speed = 2f, AudioFormat = "pcm" });
        TextToSpeechResponse fromFile = await _local.GetAudioAsync(Text, new TextToSpeechOptions { VoiceId = TinyModel.VoiceState });

        AudioDecoding.Pcm16(fast.Contents.OfType<DataContent>().Single().Data.ToArray()).Length.ShouldBe((int)Math.Round(_expected.Length / 2.0));
        AudioDecoding.Wav(fromFile.Contents.OfType<DataContent>().Single().Data.ToArray()).ShouldBe(_expected);
    }

    [Theory]
    [InlineData("nobody", null, null, typeof(NotFoundException), "voice 'nobody': is not one of")]
    [InlineData(null, "vorbis", null, typeof(UnsupportedException), "format 'vorbis': is not supported: use mp3, opus, aac, flac, wav, pcm")]
    [InlineData(null, null, 9f, typeof(InvalidInputException), "Speed '9': expected a speed between")]
    public async Task Requests_it_cannot_serve_are_typed_errors(string? voice, string? format, float? speed, Type kind, string expected)
    {
        var options = new TextToSpeechOptions { VoiceId = voice, AudioFormat = format, Speed = speed };

        PocketTtsException e = await Should.ThrowAsync<PocketTtsException>(() => _local.GetAudioAsync(Text, options));

        e.ShouldBeOfType(kind);
        e.Message.ShouldStartWith(expected);
    }

    [Fact]
    public async Task Every_format_the_server_encodes_comes_from_the_library_through_the_same_encoders()
    {
        foreach ((string asked, string mediaType) in new[] { ("opus", "audio/ogg"), ("audio/ogg", "audio/ogg"), ("flac", "audio/flac"), ("audio/mpeg", "audio/mpeg"), ("aac", "audio/aac") })
        {
            DataContent local = (await _local.GetAudioAsync(Text, new TextToSpeechOptions { AudioFormat = asked })).Contents.OfType<DataContent>().Single();
            local.MediaType.ShouldBe(mediaType, asked);
            using HttpResponseMessage fromServer = await _server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech(Text, asked.Replace("audio/ogg", "opus").Replace("audio/mpeg", "mp3"), "tiny"));
            byte[] remote = await fromServer.Content.ReadAsByteArrayAsync();
            if (mediaType == "audio/ogg")
                OggOpusReader.Decode(local.Data.ToArray()).Samples.ShouldBe(OggOpusReader.Decode(remote).Samples, "one Opus encoder");
            else
                (await AudioDecoding.FfmpegAsync(local.Data.ToArray(), mediaType[6..].Replace("mpeg", "mp3"))).ShouldBe(await AudioDecoding.FfmpegAsync(remote, mediaType[6..].Replace("mpeg", "mp3")), asked);
        }
    }

    [Fact]
    public async Task A_flac_has_its_true_length_whole_and_decodes_losslessly_streamed()
    {
        byte[] whole = (await _local.GetAudioAsync(Text, new TextToSpeechOptions { AudioFormat = "flac" })).Contents.OfType<DataContent>().Single().Data.ToArray();
        var streamed = new List<byte>();
        await foreach (TextToSpeechResponseUpdate update in _local.GetStreamingAudioAsync(Text, new TextToSpeechOptions { AudioFormat = "flac" }))
            streamed.AddRange(update.Contents.OfType<DataContent>().SelectMany(c => c.Data.ToArray()));

        ((long)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(whole.AsSpan(18)) & 0xF_FFFF_FFFF)).ShouldBe(_expected.Length, "STREAMINFO's total samples");
        (System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(streamed.ToArray().AsSpan(18)) & 0xF_FFFF_FFFF).ShouldBe(0UL, "a stream's length is unknown");
        (await AudioDecoding.FfmpegAsync(whole, "flac")).ShouldBe(_expected);
        (await AudioDecoding.FfmpegAsync([.. streamed], "flac")).ShouldBe(_expected);
    }

    [Fact]
    public async Task Without_ffmpeg_its_formats_are_refused_before_any_generation()
    {
        using var withoutFfmpeg = new PocketTtsSpeechClient(_server.Model.Model, await _server.VoiceAsync("tiny"), "tiny", encoders: new Audio.Encoders.AudioEncoderFactory(null));

        var e = await Should.ThrowAsync<UnsupportedException>(() => withoutFfmpeg.GetAudioAsync(Text, new TextToSpeechOptions { AudioFormat = "mp3" }));
        TextToSpeechResponse opus = await withoutFfmpeg.GetAudioAsync(Text, new TextToSpeechOptions { AudioFormat = "opus" });

        e.Message.ShouldBe("format 'mp3': needs ffmpeg, which was not found (install it, or put it on PATH). Formats that work now: opus, wav, pcm.");
        opus.Contents.OfType<DataContent>().Single().MediaType.ShouldBe("audio/ogg");
    }

    [Fact]
    public async Task A_language_other_than_the_models_is_refused_and_its_own_is_served()
    {
        var source = new ModelSource(TinyModel.Config, RepoPaths.Fixture("tiny/model.safetensors"), RepoPaths.Fixture("tokenizer.model")) { Language = "english" };
        using var english = new PocketTtsSpeechClient(
            await PocketTtsModel.LoadAsync(source, new Backends.Managed.ManagedBackendProvider().Create(new BackendOptions())),
            await _server.VoiceAsync("tiny"), generation: TestServer.Generation with { Seed = 7 }, ownsModel: true);

        var e = await Should.ThrowAsync<UnsupportedException>(() => english.GetAudioAsync(Text, new TextToSpeechOptions { Language = "fr-FR" }));
        TextToSpeechResponse response = await english.GetAudioAsync(Text, new TextToSpeechOptions { Language = "en-US" });

        e.Message.ShouldBe("Language 'fr-FR': this model speaks english: load the model of that language.");
        AudioDecoding.Wav(response.Contents.OfType<DataContent>().Single().Data.ToArray()).ShouldBe(_expected);
        english.GetService<TextToSpeechClientMetadata>()!.DefaultModelId.ShouldBe("english");
    }

    [Fact]
    public async Task One_call_loads_a_model_and_its_voice_as_the_cli_does_and_adds_voices_from_streams()
    {
        string cache = Directory.CreateTempSubdirectory("pocket-tts-client-").FullName;
        try
        {
            var hub = Hub.HubOptions.FromEnvironment(name => name switch
            {
                "HF_HOME" => Path.Join(cache, "hf"),
                "POCKET_TTS_CACHE" => Path.Join(cache, "pocket"),
                "HF_HUB_OFFLINE" => "1",
                _ => null,
            });
            using PocketTtsSpeechClient loaded = await PocketTtsSpeechClient.LoadAsync(new PocketTtsOptions
            {
                ConfigPath = TinyModel.Config,
                Voice = TinyModel.VoiceState,
                Generation = TestServer.Generation with { Seed = 7 },
                Hub = hub,
            });
            await using (FileStream state = File.OpenRead(TinyModel.VoiceState))
                await loaded.AddVoiceAsync("from-stream", state);
            await using (FileStream wav = File.OpenRead(TinyModel.RefWav))
                await loaded.AddVoiceAsync("cloned", wav);

            TextToSpeechResponse byDefault = await loaded.GetAudioAsync(Text);
            TextToSpeechResponse fromStream = await loaded.GetAudioAsync(Text, new TextToSpeechOptions { VoiceId = "from-stream" });

            loaded.DefaultVoiceName.ShouldBe("voice_state");
            AudioDecoding.Wav(byDefault.Contents.OfType<DataContent>().Single().Data.ToArray()).ShouldBe(_expected);
            AudioDecoding.Wav(fromStream.Contents.OfType<DataContent>().Single().Data.ToArray()).ShouldBe(_expected);
            loaded.VoiceNames.ShouldBe(["cloned", "from-stream", "voice_state"]);
            var e = await Should.ThrowAsync<UnsupportedException>(() => loaded.AddVoiceAsync("x", "alba"));
            (e.Subject, e.Value).ShouldBe(("voice", "alba"));
            e.Message.ShouldContain("needs a built-in language");
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task AddPocketTts_registers_the_client_with_options_logging_and_the_MEAI_pipeline()
    {
        string cache = Directory.CreateTempSubdirectory("pocket-tts-di-").FullName;
        var logs = new List<string>();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(logs)));
        services.AddPocketTts(options =>
        {
            options.ConfigPath = TinyModel.Config;
            options.Voice = TinyModel.VoiceState;
            options.Hub = Hub.HubOptions.FromEnvironment(name => name switch
            {
                "HF_HOME" => Path.Join(cache, "hf"),
                "POCKET_TTS_CACHE" => Path.Join(cache, "pocket"),
                "HF_HUB_OFFLINE" => "1",
                _ => null,
            });
        });
        services.Configure<PocketTtsOptions>(options => options.Generation = TestServer.Generation with { Seed = 7 });
        services.AddKeyedTextToSpeechClient("logged", sp => sp.GetRequiredService<PocketTtsSpeechClient>()).UseLogging();
        try
        {
            await using (ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }))
            {
                var speech = provider.GetRequiredService<ITextToSpeechClient>();
                var logged = provider.GetRequiredKeyedService<ITextToSpeechClient>("logged");

                TextToSpeechResponse direct = await speech.GetAudioAsync(Text);
                TextToSpeechResponse throughPipeline = await logged.GetAudioAsync(Text);

                speech.ShouldBeSameAs(provider.GetRequiredService<PocketTtsSpeechClient>());
                AudioDecoding.Wav(direct.Contents.OfType<DataContent>().Single().Data.ToArray()).ShouldBe(_expected);
                AudioDecoding.Wav(throughPipeline.Contents.OfType<DataContent>().Single().Data.ToArray()).ShouldBe(_expected);
                logs.ShouldContain(l => l.Contains("Loaded Pocket TTS model " + TinyModel.Config + ", default voice voice_state", StringComparison.Ordinal));
                logs.ShouldContain(l => l.Contains("GetAudioAsync", StringComparison.Ordinal));
            }
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void Metadata_and_services_say_what_it_serves()
    {
        var metadata = (TextToSpeechClientMetadata)_local.GetService(typeof(TextToSpeechClientMetadata))!;

        metadata.ProviderName.ShouldBe("pocket-tts");
        _local.GetService(typeof(PocketTtsModel)).ShouldBeSameAs(_server.Model.Model);
        _local.GetService(typeof(PocketTtsModel), "key").ShouldBeNull();
        _local.VoiceNames.ShouldBe(["tiny"]);
    }

    [Fact]
    public async Task Dependency_injection_serves_the_client_through_the_pipeline()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTextToSpeechClient(_local).UseLogging();
        await using ServiceProvider provider = services.BuildServiceProvider();

        ITextToSpeechClient client = provider.GetRequiredService<ITextToSpeechClient>();
        TextToSpeechResponse response = await client.GetAudioAsync(Text);

        AudioDecoding.Wav(response.Contents.OfType<DataContent>().Single().Data.ToArray()).ShouldBe(_expected);
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                    lines.Add(formatter(state, exception));
            }
        }
    }
}
