using PocketTts.Config;
using PocketTts.Model.Mimi;
using PocketTts.Tensors;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Model.Mimi;

public sealed class MimiEncoderStageTests
{
    [Fact]
    public void A_clip_of_several_chunks_encodes_as_in_one_call_over_the_zero_padded_clip()
    {
        using SafeTensorsFile model = MimiTestKit.OpenTinyModel();
        using ITensorBackend backend = MimiTestKit.CreateBackend();
        using var stage = new MimiEncoderStage(backend, ModelConfigLoader.LoadFile(RepoPaths.Fixture("tiny/config.yaml")), new WeightScope(model));
        int frames = 2 * MimiEncoderStage.ChunkFrames + 3;   // two whole chunks and a short one
        float[] audio = MimiTestKit.Random(frames * stage.FrameSamples - 700, seed: 5, scale: 0.3f);

        var latents = new float[frames * stage.LatentDim];
        stage.Encode(audio, latents);

        var padded = new float[frames * stage.FrameSamples];
        audio.CopyTo(padded, 0);
        float[] whole = MimiTestKit.RunInChunks(backend, stage.Encoder, padded, padded.Length, padded.Length);   // [LatentDim, frames]
        var expected = new float[latents.Length];
        for (int f = 0; f < frames; f++)
        {
            for (int c = 0; c < stage.LatentDim; c++)
                expected[f * stage.LatentDim + c] = whole[c * frames + f];
        }
        latents.ShouldBeClose(expected, 1e-5f, "latents of a chunked encoding");
        latents.ShouldNotContain(float.NaN);
    }

    [Fact]
    public void A_short_last_chunk_allocates_no_more_than_a_whole_one()
    {
        using SafeTensorsFile model = MimiTestKit.OpenTinyModel();
        using ITensorBackend backend = MimiTestKit.CreateBackend();
        using var stage = new MimiEncoderStage(backend, ModelConfigLoader.LoadFile(RepoPaths.Fixture("tiny/config.yaml")), new WeightScope(model));
        long Allocated(int frames)
        {
            float[] audio = MimiTestKit.Random(frames * stage.FrameSamples, seed: 6, scale: 0.3f);
            var latents = new float[frames * stage.LatentDim];
            stage.Encode(audio, latents);   // warm
            long before = GC.GetAllocatedBytesForCurrentThread();
            stage.Encode(audio, latents);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long whole = Allocated(2 * MimiEncoderStage.ChunkFrames);
        long withShortChunk = Allocated(2 * MimiEncoderStage.ChunkFrames + 1);

        // One streaming state per clip, sized once: a shorter last call would resize every buffer of it (hundreds of
        // kilobytes). The slack covers what the worker pool allocates for one more parallel loop, which varies with
        // scheduling by a few kilobytes (a CI run saw 2.2 kB).
        withShortChunk.ShouldBeLessThanOrEqualTo(whole + 8192, "bytes allocated encoding 2 chunks and 1 frame, against 2 chunks");
    }
}
