using System.Globalization;
using PocketTts.Model.Mimi;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Mimi;

/// <summary>mimi_decode.safetensors: 20 latents decoded frame by frame (320 steps, beyond the 250-step context) and at once.</summary>
public sealed class MimiDecodeParityTests : IDisposable
{
    private const int Frames = 20, LatentDim = 32, Dimension = 64, StepsPerFrame = 16, FrameSamples = 1920;

    private readonly SafeTensorsFile _model = Fixture.Open("tiny/model.safetensors");
    private readonly SafeTensorsFile _fixture = Fixture.Open("mimi_decode.safetensors");

    public void Dispose()
    {
        _model.Dispose();
        _fixture.Dispose();
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void Streaming_decoding_matches_every_frame(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new MimiDecoderStage(backend, TinyModel.Config, new WeightScope(_model));
        stage.LatentDim.ShouldBe(LatentDim);
        stage.FrameSamples.ShouldBe(FrameSamples);
        float[] streaming = DecodeAll(stage, _fixture.Floats("latents"));
        for (int f = 0; f < Frames; f++)
        {
            streaming.AsSpan(f * FrameSamples, FrameSamples).ToArray()
                .ShouldBeClose(_fixture.Floats("frame_audio/" + f.ToString("00", CultureInfo.InvariantCulture)), 1e-5f, $"frame_audio/{f:00}");
        }
        streaming.ShouldBeClose(_fixture.Floats("streaming_audio"), 1e-5f, "streaming_audio");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_first_two_frames_match_after_upsampling_and_after_the_transformer(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new MimiDecoderStage(backend, TinyModel.Config, new WeightScope(_model));
        IStreamingLayer upsample = stage.Decoder.Layers[0], transformer = stage.Decoder.Layers[1];
        float[] quantized = _fixture.Floats("quantized");
        using IStreamingState upsampleState = upsample.CreateState(1);
        using IStreamingState transformerState = transformer.CreateState(StepsPerFrame);
        using ITensor latent = backend.Allocate(new TensorShape(Dimension, 1));
        using ITensor upsampled = backend.Allocate(new TensorShape(Dimension, StepsPerFrame));
        using ITensor transformed = backend.Allocate(new TensorShape(Dimension, StepsPerFrame));
        for (int f = 0; f < 2; f++)
        {
            backend.Write(MimiParityKit.Columns(quantized, Dimension, Frames, f, 1), latent);
            upsample.Forward(latent, upsampled, upsampleState);
            backend.Read(upsampled).ShouldBeClose(_fixture.Floats($"frame{f}/upsample_out"), 1e-5f, $"frame{f}/upsample_out");

            // The transformer gets the reference's input, so that each check covers one module.
            using ITensor reference = backend.Constant(_fixture.Floats($"frame{f}/upsample_out"), new TensorShape(Dimension, StepsPerFrame));
            transformer.Forward(reference, transformed, transformerState);
            backend.Read(transformed).ShouldBeClose(_fixture.Floats($"frame{f}/decoder_transformer_out"), 1e-5f, $"frame{f}/decoder_transformer_out");
        }
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void Decoding_all_frames_in_one_call_matches_the_batch_and_the_streaming_audio(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new MimiDecoderStage(backend, TinyModel.Config, new WeightScope(_model));
        using ITensor quantized = backend.Constant(_fixture.Floats("quantized"), new TensorShape(Dimension, Frames));
        using ITensor audio = backend.Allocate(new TensorShape(1, Frames * FrameSamples));
        using (StreamingSequence.State state = stage.Decoder.CreateState(Frames))
            stage.DecodeQuantized(quantized, audio, state);
        float[] batch = backend.Read(audio);
        batch.ShouldBeClose(_fixture.Floats("batch_audio"), 1e-5f, "batch_audio");
        batch.ShouldBeClose(_fixture.Floats("streaming_audio"), 1e-5f, "batch vs streaming_audio");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void A_reset_state_decodes_like_a_fresh_one(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new MimiDecoderStage(backend, TinyModel.Config, new WeightScope(_model));
        float[] latents = _fixture.Floats("latents");
        using IMimiDecoderState state = stage.CreateState();
        var audio = new float[FrameSamples];
        for (int f = 0; f < 3; f++)
            stage.DecodeFrame(state, latents.AsSpan(f * LatentDim, LatentDim), audio);
        state.FramesDecoded.ShouldBe(3);
        state.Reset();
        state.FramesDecoded.ShouldBe(0);
        stage.DecodeFrame(state, latents.AsSpan(0, LatentDim), audio);
        audio.ShouldBeClose(_fixture.Floats("frame_audio/00"), 1e-5f, "first frame after Reset");
    }

    [Fact]
    public void Decoding_a_frame_allocates_nothing()
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend("managed");
        using var stage = new MimiDecoderStage(backend, TinyModel.Config, new WeightScope(_model));
        float[] latents = _fixture.Floats("latents");
        using IMimiDecoderState state = stage.CreateState();
        var audio = new float[FrameSamples];
        stage.DecodeFrame(state, latents.AsSpan(0, LatentDim), audio);
        int frame = 1;
        Allocation.Measure(() => stage.DecodeFrame(state, latents.AsSpan(frame++ * LatentDim, LatentDim), audio)).ShouldBe(0);
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_what_was_expected()
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend("managed");
        using var stage = new MimiDecoderStage(backend, TinyModel.Config, new WeightScope(_model));
        using var other = new MimiDecoderStage(backend, TinyModel.Config, new WeightScope(_model));
        using IMimiDecoderState state = stage.CreateState();
        using IMimiDecoderState foreign = other.CreateState();
        Should.Throw<ArgumentException>(() => stage.DecodeFrame(foreign, new float[32], new float[1920])).Message.ShouldContain("not created by this decoder stage");
        Should.Throw<ArgumentException>(() => stage.DecodeFrame(state, new float[31], new float[1920])).Message.ShouldContain("The latent has 31 values, expected 32");
        Should.Throw<ArgumentException>(() => stage.DecodeFrame(state, new float[32], new float[1919])).Message.ShouldContain("holds 1919 samples, expected 1920");
        state.Dispose();
        Should.Throw<ObjectDisposedException>(() => stage.DecodeFrame(state, new float[32], new float[1920]));
    }

    private static float[] DecodeAll(MimiDecoderStage stage, float[] latents)
    {
        var audio = new float[Frames * FrameSamples];
        using IMimiDecoderState state = stage.CreateState();
        for (int f = 0; f < Frames; f++)
            stage.DecodeFrame(state, latents.AsSpan(f * LatentDim, LatentDim), audio.AsSpan(f * FrameSamples, FrameSamples));
        state.FramesDecoded.ShouldBe(Frames);
        return audio;
    }
}
