namespace PocketTts.Graphs;

/// <summary>
/// The graphs <see cref="IModelDefinition.Record"/> records and their signatures. Float inputs and outputs are named
/// here; every graph may also have the inputs and outputs of its states and attention caches and a RoPE position
/// input, which its recorder describes (see <see cref="IGraphRecorder"/>). A runtime of the graphs carries the
/// states and caches from one call to the next, per stream.
/// </summary>
public static class StageGraphNames
{
    /// <summary><c>token_ids</c> int64 [tokens] → <c>embeddings</c> [tokens, ModelDim]: the text table's rows.</summary>
    public const string TextConditioner = "text_conditioner";

    /// <summary>
    /// <c>latents</c> [frames, SpeakerDim] → <c>conditioning</c> [frames, ModelDim] (speaker projection), and
    /// <c>bos_before_voice</c> [1, ModelDim] when the model prepends a learned row to the voice prompt.
    /// </summary>
    public const string FlowLmVoice = "flow_lm_voice";

    /// <summary>
    /// The FlowLM backbone for prompts and steps alike: <c>conditioning</c> [c, ModelDim] rows then <c>latents</c>
    /// [s, LatentDim] (NaN = BOS, embedded) at the position input → <c>hidden</c> [c + s, ModelDim] (out_norm) and
    /// <c>eos_logit</c> [c + s, 1], with one KV cache per layer. A prompt passes no latent, a step no conditioning.
    /// </summary>
    public const string FlowLmMain = "flow_lm_main";

    /// <summary>
    /// One evaluation of the flow net: <c>condition</c> [1, ModelDim], <c>s</c> and <c>t</c> [1, 1] (an LSD head
    /// only), <c>x</c> [1, LatentDim] → <c>flow</c> [1, LatentDim] (a drifting head's output is the latent).
    /// </summary>
    public const string FlowNet = "flow_net";

    /// <summary>
    /// The Mimi encoder's first chunk: <c>audio</c> [1, EncoderChunkFrames × FrameSamples] → <c>latents</c>
    /// [EncoderChunkFrames, encoder width], with streaming state that <see cref="MimiEncoder"/> continues.
    /// </summary>
    public const string MimiEncoderFirst = "mimi_encoder_first";

    /// <summary>Every later chunk of the Mimi encoder, as <see cref="MimiEncoderFirst"/>.</summary>
    public const string MimiEncoder = "mimi_encoder";

    /// <summary><c>latent</c> [1, LatentDim] (FlowLM space) → <c>audio</c> [1, FrameSamples], with streaming state and windowed caches.</summary>
    public const string MimiDecoder = "mimi_decoder";
}
