using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Generation;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tokenizer;
using PocketTts.Voices;

namespace PocketTts.Tests.Parity.EndToEnd;

/// <summary>A configuration that names a tokenizer.json loads it, and the tiny model then speaks as with tokenizer.model.</summary>
public sealed class TokenizerJsonGenerationTests
{
    // Both tokenizers give the same ids for it (the fixture tokenizers differ only on special-token and <0xNN>
    // literals and on one score tie, see the fixture README).
    private const string Text = "Hello there! How are you doing today? I hope the weather is nice where you are.";

    [Fact]
    public async Task The_tiny_model_generates_the_same_audio_with_tokenizer_json_as_with_tokenizer_model()
    {
        SentencePieceTokenizer.Load(Fixture.PathOf("tokenizer.model")).Encode(Text)
            .ShouldBe(JsonTokenizer.Load(Fixture.PathOf("tokenizer.json")).Encode(Text));
        DirectoryInfo directory = Directory.CreateTempSubdirectory("pocket-tts-tokenizer-json-");
        try
        {
            // A copy of the tiny configuration beside a copy of tokenizer.json, as a 3.x model directory has it.
            string configPath = Path.Combine(directory.FullName, "config.yaml");
            string yaml = File.ReadAllText(Fixture.PathOf("tiny/config.yaml"))
                .Replace("tokenizer: sentencepiece", "tokenizer: tokenizers", StringComparison.Ordinal)
                .Replace("tokenizer_path: ../tokenizer.model", "tokenizer_path: tokenizer.json", StringComparison.Ordinal);
            File.WriteAllText(configPath, yaml);
            File.Copy(Fixture.PathOf("tokenizer.json"), Path.Combine(directory.FullName, "tokenizer.json"));
            string jsonPath = ModelConfigLoader.LoadFile(configPath).FlowLm.LookupTable.TokenizerPath;
            jsonPath.ShouldBe(Path.Combine(directory.FullName, "tokenizer.json"));

            float[] withModel = await Generate(new ModelSource(Fixture.PathOf("tiny/config.yaml"), Fixture.PathOf("tiny/model.safetensors"), Fixture.PathOf("tokenizer.model")));
            float[] withJson = await Generate(new ModelSource(configPath, Fixture.PathOf("tiny/model.safetensors"), jsonPath));

            withModel.Length.ShouldBeGreaterThan(0);
            withJson.ShouldBe(withModel);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<float[]> Generate(ModelSource source)
    {
        await using PocketTtsModel model = await PocketTtsModel.LoadAsync(source, ParityBackends.Create("managed"));
        VoiceState voice = model.LoadVoiceState(Fixture.PathOf("voice_state.safetensors"));
        return await model.GenerateAsync(Text, voice, new GenerationOptions { Temperature = 0, Seed = 5 });
    }
}
