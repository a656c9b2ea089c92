using PocketTts.Backends;
using PocketTts.Model;
using PocketTts.Stages;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tokenizer;
using PocketTts.Voices;
using PocketTts.Weights;
using Xunit.Abstractions;

namespace PocketTts.Tests.Parity.Quantization;

/// <summary>
/// int8 FlowLM (attention and FFN, the reference's --quantize) against float32 on the tiny model: step outputs and the
/// decoded audio stay within 30 dB signal-to-noise, whether quantized at load or read from a file written by
/// <see cref="WeightQuantizer.QuantizeModel"/>.
/// </summary>
public sealed class Int8QualityTests(ITestOutputHelper output) : IDisposable
{
    private const double MinimumSnrDb = 30;
    private readonly string _folder = Directory.CreateTempSubdirectory("int8-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ModelSource Source(bool quantize, string? weights = null) =>
        TinyModel.Source() with { WeightsPath = weights ?? Fixture.PathOf("tiny/model.safetensors"), Quantize = quantize };

    [Theory]
    [MemberData(nameof(ParityBackends.Available), MemberType = typeof(ParityBackends))]
    public void Quantizing_at_load_keeps_every_stage_above_30_dB(string backendName)
    {
        QuantizationQuality quality = Measure(backendName, Source(quantize: true));
        output.WriteLine($"{backendName}: latents {quality.LatentSnrDb:F1} dB, hidden {quality.HiddenSnrDb:F1} dB, audio {quality.AudioSnrDb:F1} dB");

        quality.LatentSnrDb.ShouldBeGreaterThan(MinimumSnrDb);
        quality.HiddenSnrDb.ShouldBeGreaterThan(MinimumSnrDb);
        quality.AudioSnrDb.ShouldBeGreaterThan(MinimumSnrDb);
        quality.HiddenSnrDb.ShouldBeLessThan(90, "the int8 layers are really used: float and int8 differ");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.Available), MemberType = typeof(ParityBackends))]
    public void A_quantized_file_generates_as_quantizing_at_load_does(string backendName)
    {
        string int8File = Path.Combine(_folder, "model_int8.safetensors");
        using (SafeTensorsFile model = TinyModel.OpenWeights())
            WeightQuantizer.QuantizeModel(CheckpointMapping.ToModelLayout(model), QuantizationGroups.Recommended).Save(int8File);

        QuantizationQuality fromFile = Measure(backendName, Source(quantize: false, int8File));
        QuantizationQuality atLoad = Measure(backendName, Source(quantize: true));

        fromFile.ShouldBe(atLoad);
        new FileInfo(int8File).Length.ShouldBeLessThan(new FileInfo(Fixture.PathOf("tiny/model.safetensors")).Length);
    }

    [Fact]
    public void Snr_is_infinite_for_equal_signals_and_20_dB_for_a_tenth_of_error()
    {
        QuantizationQuality.SnrDb([1f, -2f], [1f, -2f]).ShouldBe(double.PositiveInfinity);
        QuantizationQuality.SnrDb([1f, 1f], [1.1f, 0.9f]).ShouldBe(20, 1e-4);
        Should.Throw<ArgumentException>(() => QuantizationQuality.SnrDb([1f], [1f, 2f]));
    }

    private static QuantizationQuality Measure(string backendName, ModelSource quantizedSource)
    {
        using IBackend floatBackend = ParityBackends.Create(backendName);
        using IBackend int8Backend = ParityBackends.Create(backendName);
        using IModelStages reference = ModelStageFactory.Create(floatBackend, Source(quantize: false), TinyModel.Config, default);
        using IModelStages quantized = ModelStageFactory.Create(int8Backend, quantizedSource, TinyModel.Config, default);
        FlowLmSnapshot voice = VoiceStateFile.Read(Fixture.PathOf("voice_state.safetensors"));
        int[] tokens = SentencePieceTokenizer.Load(Fixture.PathOf("tokenizer.model")).Encode("Hello there, how are you doing today?");
        return QuantizationQuality.Measure(reference, quantized, voice, tokens, frames: 40, seed: 3);
    }
}
