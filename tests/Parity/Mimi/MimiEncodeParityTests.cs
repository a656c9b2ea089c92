using PocketTts.Model.Mimi;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Mimi;

/// <summary>mimi_encode.safetensors: a 39100-sample clip (336 SEANet steps, beyond the 250-step context) through the encoder.</summary>
public sealed class MimiEncodeParityTests : IDisposable
{
    private const int Dimension = 64, Steps = 336, LatentDim = 32, Frames = 21;

    private readonly SafeTensorsFile _model = Fixture.Open("tiny/model.safetensors");
    private readonly SafeTensorsFile _fixture = Fixture.Open("mimi_encode.safetensors");

    public void Dispose()
    {
        _model.Dispose();
        _fixture.Dispose();
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_SEANet_encoder_matches_on_the_padded_clip(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new MimiEncoderStage(backend, TinyModel.Config, new WeightScope(_model));
        float[] padded = _fixture.Floats("audio_padded");
        float[] actual = Run(backend, stage.Encoder.Layers[0], padded, 1, padded.Length);
        actual.ShouldBeClose(_fixture.Floats("seanet_out"), 5e-5f, "seanet_out");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_encoder_transformer_matches_with_the_context_limit(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new MimiEncoderStage(backend, TinyModel.Config, new WeightScope(_model));
        float[] actual = Run(backend, stage.Encoder.Layers[1], _fixture.Floats("seanet_out"), Dimension, Steps);
        actual.ShouldBeClose(_fixture.Floats("encoder_transformer_out"), 5e-5f, "encoder_transformer_out");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_replicate_padded_downsampling_matches(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new MimiEncoderStage(backend, TinyModel.Config, new WeightScope(_model));
        float[] actual = Run(backend, stage.Encoder.Layers[2], _fixture.Floats("encoder_transformer_out"), Dimension, Steps);
        actual.ShouldBeClose(_fixture.Floats("latent"), 1e-4f, "latent");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_stage_encodes_the_unpadded_clip_into_frame_rows(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new MimiEncoderStage(backend, TinyModel.Config, new WeightScope(_model));
        float[] audio = _fixture.Floats("audio");
        stage.LatentFrames(audio.Length).ShouldBe(Frames);
        var latents = new float[Frames * LatentDim];
        stage.Encode(audio, latents);
        latents.ShouldBeClose(MimiParityKit.Transpose(_fixture.Floats("latent"), LatentDim, Frames), 1e-4f, "latents [frames, 32]");
    }

    [Fact]
    public void The_two_stages_consume_every_mimi_tensor()
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend("managed");
        var root = new WeightScope(new FilteredWeights(_model, "mimi."));
        using var encoder = new MimiEncoderStage(backend, TinyModel.Config, root);
        Should.Throw<InvalidDataException>(root.EnsureAllConsumed).Message.ShouldContain("mimi.decoder.model.0.conv.bias");
        using var decoder = new MimiDecoderStage(backend, TinyModel.Config, root);
        root.EnsureAllConsumed();
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_what_was_expected()
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend("managed");
        using var stage = new MimiEncoderStage(backend, TinyModel.Config, new WeightScope(_model));
        Should.Throw<ArgumentException>(() => stage.Encode([], new float[32])).Message.ShouldContain("The audio is empty");
        Should.Throw<ArgumentException>(() => stage.Encode(new float[1921], new float[32]))
            .Message.ShouldContain("1921 samples give 2 frames × 32 = 64");
        stage.LatentFrames(0).ShouldBe(0);
        stage.LatentFrames(1920).ShouldBe(1);
        stage.LatentFrames(1921).ShouldBe(2);
    }

    private static float[] Run(ITensorBackend backend, IStreamingLayer layer, float[] input, int channels, int steps)
    {
        using ITensor x = backend.Constant(input, new TensorShape(channels, steps));
        using ITensor y = backend.Allocate(new TensorShape(layer.OutChannels, layer.OutputLength(steps)));
        using IStreamingState state = layer.CreateState(steps);
        layer.Forward(x, y, state);
        return backend.Read(y);
    }
}
