using PocketTts.Config;
using PocketTts.Host.Bench;
using PocketTts.Model;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Model;

/// <summary>
/// The work counts behind bench's rates, on the tiny configuration (d_model 128, 2 layers, feed-forward 512; Mimi
/// d_model 64, feed-forward 128, SEANet 8 filters, ratios 6·5·4, 16 steps a frame) against sums done by hand.
/// </summary>
public sealed class ModelWorkTests
{
    private static readonly ModelConfig Tiny = ModelConfigLoader.LoadFile(RepoPaths.Fixture("tiny/config.yaml"));

    // FlowLM transformer, one row seeing n positions: 4·128² + 2·128·512 + 2·128·n per layer.
    private const long FlowRow = 4 * 128 * 128 + 2 * 128 * 512;

    // Mimi transformer, one row: 4·64² + 2·64·128 (+ 2·64·n) per layer.
    private const long MimiRow = 4 * 64 * 64 + 2 * 64 * 128;

    [Fact]
    public void Text_prompt_counts_the_transformer_with_attention_over_the_voice_rows_before_it()
    {
        // Tokens at positions 4 and 5 after 3 voice rows, 2 layers.
        ModelWork.TextPromptMultiplyAdds(Tiny, voiceRows: 3, tokens: 2).ShouldBe(2 * (2 * FlowRow + 2 * 128 * (4 + 5)));
    }

    [Fact]
    public void Mimi_frame_counts_quantizer_upsampling_transformer_and_seanet_decoder()
    {
        long seanet = 16 * 64 * 64 * 7               // first conv 64 → 64, kernel 7, 16 steps
                      + 16 * 64 * 32 * 12            // ×6: transposed 64 → 32, kernel 12
                      + 96 * (32 * 16 * 3 + 16 * 32) // residual block at 32, 96 steps
                      + 96 * 32 * 16 * 10            // ×5: transposed 32 → 16, kernel 10
                      + 480 * (16 * 8 * 3 + 8 * 16)
                      + 480 * 16 * 8 * 8             // ×4: transposed 16 → 8, kernel 8
                      + 1920 * (8 * 4 * 3 + 4 * 8)
                      + 1920 * 8 * 3;                // last conv 8 → 1, kernel 3
        long fixedWork = 32 * 64 + 64 * 32 + seanet; // quantizer 1×1 32 → 64; depthwise upsampling, kernel 32
        seanet.ShouldBe(2_569_216);

        // The first frame's 16 rows see 1..16 positions (sum 136); two frames' 32 rows see 1..32 (sum 528).
        ModelWork.MimiFrameMultiplyAdds(Tiny, frames: 1).ShouldBe(fixedWork + 2 * (16 * MimiRow + 2 * 64 * 136));
        ModelWork.MimiFrameMultiplyAdds(Tiny, frames: 2).ShouldBe(fixedWork + 2 * (32 * MimiRow + 2 * 64 * 528) / 2.0);
    }

    [Fact]
    public void Voice_prompt_counts_the_encoder_the_speaker_projection_and_the_prompt_rows()
    {
        long seanet = 1920 * 8 * 1 * 7               // first conv 1 → 8, kernel 7
                      + 1920 * (8 * 4 * 3 + 4 * 8)   // residual block at 8
                      + 480 * 16 * 8 * 8             // ÷4: 8 → 16, kernel 8
                      + 480 * (16 * 8 * 3 + 8 * 16)
                      + 96 * 32 * 16 * 10            // ÷5: 16 → 32, kernel 10
                      + 96 * (32 * 16 * 3 + 16 * 32)
                      + 16 * 64 * 32 * 12            // ÷6: 32 → 64, kernel 12
                      + 16 * 64 * 64 * 3;            // last conv 64 → 64, kernel 3
        long transformer = 2 * (16 * MimiRow + 2 * 64 * 136);
        long downsample = 32 * 64 * 32;              // 64 → 32 latents, kernel 32, one step
        long speaker = 32 * 128;
        long prompt = 2 * (2 * FlowRow + 2 * 128 * (1 + 2)); // the BOS row and one frame

        ModelWork.VoicePromptMultiplyAdds(Tiny, samples: 1920).ShouldBe(seanet + transformer + downsample + speaker + prompt);
    }

    [Fact]
    public void A_flow_step_reads_the_transformer_and_flow_net_weights_in_their_dtype()
    {
        using SafeTensorsFile tiny = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/model.safetensors"));
        const long Layer = 3 * 128 * 128 + 128 * 128 + 4 * 128 + 2 * 512 * 128;          // attention, norms, feed-forward
        const long TimeEmbedder = 128 + 64 * 256 + 64 + 64 * 64 + 64 + 64;                // freqs, mlp.0, mlp.2, alpha
        const long ResBlock = 2 * 64 + 2 * (64 * 64 + 64) + 3 * 64 * 64 + 3 * 64;         // in_ln, mlp, adaLN
        const long FlowNet = 2 * TimeEmbedder + (64 * 128 + 64) + (64 * 32 + 64) + 2 * ResBlock + (32 * 64 + 32) + (2 * 64 * 64 + 2 * 64);
        const long Elements = 2 * Layer + FlowNet + 128 * 32 + 2 * 128 + 128 + 1;         // + input_linear, out_norm, out_eos
        Elements.ShouldBe(502_945);

        ModelWork.FlowStepBytes(tiny, QuantizationGroups.None).ShouldBe(4 * Elements);
        // int8 attention and feed-forward matrices: a byte an element and a float scale per output row.
        const long Quantized = 3 * 128 * 128 + 128 * 128 + 2 * 512 * 128, Rows = 3 * 128 + 128 + 512 + 128;
        ModelWork.FlowStepBytes(tiny, QuantizationGroups.Recommended).ShouldBe(4 * (Elements - 2 * Quantized) + 2 * (Quantized + 4 * Rows));
    }

    [Fact]
    public void The_full_size_flow_step_reads_about_343_MB_in_float32()
    {
        SyntheticWeights weights = SyntheticWeights.FromEmbeddedManifest("english", seed: 1);

        ModelWork.FlowStepBytes(weights, QuantizationGroups.None).ShouldBeInRange(340_000_000, 345_000_000);
        weights.GenerationTime.ShouldBe(TimeSpan.Zero);
    }
}
