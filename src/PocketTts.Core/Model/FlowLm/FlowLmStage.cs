using PocketTts.Config;
using PocketTts.Model.Transformer;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.FlowLm;

/// <summary>
/// FlowLM on an <see cref="ITensorBackend"/> (<c>FlowLMModel</c> in pocket_tts/models/flow_lm.py, driven as
/// <c>TTSModel._run_flow_lm_and_increment_step</c> drives it): prompt passes append voice or text rows to the KV
/// caches; each step embeds the previous latent, runs the transformer one row further, and decodes the next
/// latent with the flow net. Immutable after load and safe to share: every stream brings its own
/// <see cref="FlowLmState"/>.
/// </summary>
internal sealed partial class FlowLmStage : IFlowLmStage
{
    private const float OutNormEps = 1e-5f;

    private readonly ITensorBackend _backend;
    private readonly StreamingTransformer _transformer;
    private readonly FlowNet _flowNet;
    private readonly ITensor _bosEmb;               // [latentDim]: replaces NaN inputs
    private readonly IPackedLinear _inputLinear;    // [d, latentDim], no bias
    private readonly ITensor _outNormWeight;        // [d]
    private readonly ITensor _outNormBias;          // [d]
    private readonly IPackedLinear _outEos;         // [1, d] + bias
    private readonly IPackedLinear _speakerProj;    // [d, speakerDim], no bias
    private readonly float[]? _bosBeforeVoice;      // [d], host copy: it is written into voice prompts

    /// <summary>Loads the <c>flow_lm.*</c> tensors of a whole checkpoint (except the Mimi decoder's <c>emb_std</c>/<c>emb_mean</c>).</summary>
    /// <param name="backend">The backend that runs the stage.</param>
    /// <param name="config">The model configuration.</param>
    /// <param name="root">The checkpoint's root scope.</param>
    /// <param name="quantize">Transformer layer groups to quantize to int8 at load (the reference's --quantize: attention and FFN).</param>
    /// <exception cref="ArgumentException">The configuration is inconsistent.</exception>
    /// <exception cref="InvalidDataException">A tensor is missing or mis-shaped.</exception>
    public FlowLmStage(ITensorBackend backend, ModelConfig config, WeightScope root, QuantizationGroups quantize = QuantizationGroups.None)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        _backend = backend;
        var transformerConfig = StreamingTransformerConfig.FromFlowLm(config.FlowLm.Transformer);
        ModelDim = transformerConfig.DModel;
        Heads = transformerConfig.NumHeads;
        HeadDim = transformerConfig.HeadDim;
        Layers = transformerConfig.NumLayers;
        LatentDim = config.Mimi.Quantizer.Dimension;
        // The speaker projection takes what the Mimi encoder produces (the reference's inner_dim or the SEANet width).
        SpeakerDim = config.Mimi.InnerDim ?? config.Mimi.Seanet.Dimension;
        HasBosBeforeVoice = config.FlowLm.InsertBosBeforeVoice;
        if (LatentDim <= 0 || SpeakerDim <= 0)
            throw new ArgumentException($"Invalid latent widths: mimi.quantizer.dimension {LatentDim} and the encoder's {SpeakerDim} must be positive.");

        WeightScope w = root.Scope("flow_lm");
        int d = ModelDim;
        _transformer = new StreamingTransformer(backend, transformerConfig, w.Scope("transformer"), quantize);
        _flowNet = new FlowNet(backend, config.FlowLm.Flow, LatentDim, d, w.Scope("flow_net"));
        _bosEmb = backend.Constant(w, "bos_emb", LatentDim);
        _inputLinear = backend.PackLinear(ModelWeights.Linear(w, "input_linear", d, LatentDim, bias: false));
        _outNormWeight = backend.Constant(w, "out_norm.weight", d);
        _outNormBias = backend.Constant(w, "out_norm.bias", d);
        _outEos = backend.PackLinear(ModelWeights.Linear(w, "out_eos", 1, d, bias: true));
        _speakerProj = backend.PackLinear(new LinearWeights
        {
            OutFeatures = d,
            InFeatures = SpeakerDim,
            Weight = w.GetFloats("speaker_proj_weight", d, SpeakerDim),
        });
        if (HasBosBeforeVoice)
            _bosBeforeVoice = w.GetFloats("bos_before_voice", 1, 1, d);
    }

    /// <inheritdoc/>
    public string BackendName => _backend.Name;

    /// <inheritdoc/>
    public int ModelDim { get; }

    /// <inheritdoc/>
    public int LatentDim { get; }

    /// <summary>Width of the Mimi latents the voice prompt is projected from (LatentDim in every shipped 32-latent configuration).</summary>
    public int SpeakerDim { get; }

    /// <inheritdoc/>
    public int Layers { get; }

    /// <inheritdoc/>
    public int Heads { get; }

    /// <inheritdoc/>
    public int HeadDim { get; }

    /// <inheritdoc/>
    public bool HasBosBeforeVoice { get; }

    /// <summary>Whether the flow net is a drifting head (one pass to the latent) rather than an LSD velocity.</summary>
    public bool HasDriftingHead => _flowNet.Type == FlowType.Drifting;

    /// <inheritdoc/>
    public IFlowLmState CreateState(int capacity) => NewState(capacity);

    private FlowLmState NewState(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        StreamingTransformerState transformer = _transformer.CreateState(capacity, stepRows: 1);
        return new FlowLmState(this, transformer, _flowNet.CreateWorkspace(rows: 1), _backend);
    }

    /// <inheritdoc/>
    public IFlowLmState CreateState(FlowLmSnapshot snapshot, int capacity)
    {
        StageArguments.Snapshot(this, snapshot, capacity);
        FlowLmState state = NewState(capacity);
        try
        {
            state.Transformer.Load(snapshot.Offset, snapshot.Keys, snapshot.Values);
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public FlowLmSnapshot Snapshot(IFlowLmState state)
    {
        StreamingTransformerState transformer = Own(state).Transformer;
        int length = transformer.Offset * Heads * HeadDim;
        var keys = new float[Layers][];
        var values = new float[Layers][];
        for (int i = 0; i < Layers; i++)
        {
            keys[i] = new float[length];
            values[i] = new float[length];
            transformer.ReadCache(i, keys[i], values[i]);
        }
        return new FlowLmSnapshot(transformer.Offset, Heads, HeadDim, keys, values);
    }

    /// <inheritdoc/>
    public int VoicePromptRows(int latentFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latentFrames);
        return latentFrames + (HasBosBeforeVoice ? 1 : 0);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <paramref name="latents"/> is [frames, <see cref="SpeakerDim"/>] (what the Mimi encoder produces, see
    /// <c>TTSModel._encode_audio</c>); the prompt is <c>bos_before_voice</c> followed by latents · speaker_proj_weightᵀ.
    /// </remarks>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void ConditionVoice(ReadOnlySpan<float> latents, Span<float> conditioning)
    {
        int frames = StageArguments.ConditionVoice(this, SpeakerDim, latents, conditioning);
        int rows = VoicePromptRows(frames);
        if (_bosBeforeVoice is not null)
            _bosBeforeVoice.CopyTo(conditioning);
        if (frames == 0)
            return;
        using ITensor x = _backend.Constant(latents, new TensorShape(frames, SpeakerDim));
        using ITensor y = _backend.Allocate(new TensorShape(frames, ModelDim));
        ProjectVoice(x, y);
        _backend.Read(y, conditioning[((rows - frames) * ModelDim)..]);
    }

    /// <summary>Voice latents [frames, SpeakerDim] → prompt rows [frames, ModelDim] (speaker_proj).</summary>
    private void ProjectVoice(ITensor latents, ITensor conditioning) => _backend.Linear(latents, _speakerProj, conditioning);

    /// <summary>Runs prompt rows x [rows, ModelDim] through the transformer in place, appending to the state's caches.</summary>
    private void Transform(ITensor x, FlowLmState state) => _transformer.Forward(x, state.Transformer);

    /// <summary>out_norm: x [rows, ModelDim] → y.</summary>
    private void OutNorm(ITensor x, ITensor y) => _backend.LayerNorm(x, _outNormWeight, _outNormBias, OutNormEps, y);

    /// <summary>
    /// The transformer part of a step, on the state's tensors: Latent (NaN = BOS) → input_linear → transformer →
    /// out_norm into Normed, and the EOS logit from it.
    /// </summary>
    private void StepBackbone(FlowLmState state)
    {
        EmbedLatent(state.Latent, state.Hidden);
        Transform(state.Hidden, state);
        OutNorm(state.Hidden, state.Normed);
        EosLogit(state.Normed, state.EosLogit);
    }

    /// <summary>
    /// Latents [rows, LatentDim] → transformer input rows [rows, ModelDim] (input_linear). NaN entries signal BOS: each
    /// is replaced, in <paramref name="latents"/>, by the matching entry of bos_emb first.
    /// </summary>
    private void EmbedLatent(ITensor latents, ITensor embedded)
    {
        _backend.ReplaceNaN(latents, _bosEmb, latents);
        _backend.Linear(latents, _inputLinear, embedded);
    }

    /// <summary>out_eos: out_norm rows [rows, ModelDim] → raw end-of-speech logits [rows, 1].</summary>
    private void EosLogit(ITensor normed, ITensor logits) => _backend.Linear(normed, _outEos, logits);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A span has the wrong length or the state is not this stage's.</exception>
    /// <exception cref="InvalidOperationException">The rows do not fit the state's capacity.</exception>
    public void Prompt(IFlowLmState state, ReadOnlySpan<float> conditioning, Span<float> lastHidden)
    {
        FlowLmState s = Own(state);
        int rows = StageArguments.Prompt(this, conditioning, lastHidden);

        // A one-row prompt uses the state's step buffer; longer prompts are rare (once per text chunk) and get their own.
        ITensor? temporary = rows == 1 ? null : _backend.Allocate(new TensorShape(rows, ModelDim));
        try
        {
            ITensor x = temporary ?? s.Hidden;
            _backend.Write(conditioning, x);
            Transform(x, s);
            if (lastHidden.IsEmpty)
                return;
            if (temporary is not null)
                _backend.CopySlice(temporary, 0, rows - 1, s.Hidden, 0, 1);
            OutNorm(s.Hidden, s.Normed);
            _backend.Read(s.Normed, lastHidden);
        }
        finally
        {
            temporary?.Dispose();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A span has the wrong length or the state is not this stage's.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsdSteps"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The state is full.</exception>
    public float SampleNextLatent(IFlowLmState state, ReadOnlySpan<float> inputLatent, ReadOnlySpan<float> noise, int lsdSteps, Span<float> outputLatent, Span<float> hidden)
    {
        FlowLmState s = Own(state);
        StageArguments.SampleNextLatent(this, inputLatent, noise, lsdSteps, outputLatent, hidden);
        ITensorBackend b = _backend;

        b.Write(inputLatent, s.Latent);
        StepBackbone(s);

        // The same out_norm output feeds the EOS head and conditions the flow.
        b.Write(noise, s.Sample);
        _flowNet.EmbedCondition(s.Normed, s.Flow);
        if (HasDriftingHead)
            DriftingDecode.Decode(b, _flowNet, s.Flow, s.Sample);
        else
            LsdDecode.Decode(b, _flowNet, s.Flow, s.Sample, lsdSteps);

        b.Read(s.Sample, outputLatent);
        if (!hidden.IsEmpty)
            b.Read(s.Normed, hidden);
        Span<float> logit = stackalloc float[1];
        b.Read(s.EosLogit, logit);
        return logit[0];
    }

    private FlowLmState Own(IFlowLmState state) => StageArguments.Own<FlowLmState>(state, this, static s => s.Owner, "FlowLM");

    /// <inheritdoc/>
    public void Dispose()
    {
        _transformer.Dispose();
        _flowNet.Dispose();
        _bosEmb.Dispose();
        _inputLinear.Dispose();
        _outNormWeight.Dispose();
        _outNormBias.Dispose();
        _outEos.Dispose();
        _speakerProj.Dispose();
    }
}
