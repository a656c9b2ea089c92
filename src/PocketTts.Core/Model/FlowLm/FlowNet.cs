using PocketTts.Config;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.FlowLm;

/// <summary>
/// The flow net, <c>SimpleMLPAdaLN</c> of pocket_tts/modules/mlp.py. For an LSD head it is the velocity
/// v(c, s, t, x) that <see cref="LsdDecode"/> integrates, conditioned by y = (time_embed[0](s) + time_embed[1](t)) / 2
/// + cond_embed(c); a drifting head has no time embedders, y = cond_embed(c), and its output is the latent itself
/// (<see cref="DriftingDecode"/>). y conditions every block through AdaLN; x goes input_proj → res_blocks → final_layer.
/// </summary>
internal sealed class FlowNet : IDisposable
{
    private readonly ITensorBackend _backend;
    private readonly TimestepEmbedder[] _timeEmbed;
    private readonly IPackedLinear _condEmbed;      // [dim, condDim] + bias
    private readonly IPackedLinear _inputProj;      // [dim, latentDim] + bias
    private readonly ResBlock[] _resBlocks;
    private readonly FinalLayer _finalLayer;

    /// <summary>Loads the <c>flow_lm.flow_net</c> scope.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="config">Width and depth.</param>
    /// <param name="latentDim">Width of x and of the velocity (32).</param>
    /// <param name="condDim">Width of the condition c (the transformer's d_model).</param>
    /// <param name="weights">The <c>flow_net</c> scope.</param>
    public FlowNet(ITensorBackend backend, FlowNetConfig config, int latentDim, int condDim, WeightScope weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Dim <= 0 || config.Depth < 0)
            throw new ArgumentException($"Invalid flow net configuration: dim {config.Dim} must be positive and depth {config.Depth} not negative.");
        _backend = backend;
        Type = config.Type;
        Dim = config.Dim;
        LatentDim = latentDim;
        // The reference's num_time_conds: LSD embeds the start time s and the target time t; a drifting head neither.
        _timeEmbed = new TimestepEmbedder[config.Type switch
        {
            FlowType.Lsd => 2,
            FlowType.Drifting => 0,
            _ => throw new NotSupportedException(
                $"flow.type {config.Type} (flow_matching) is not supported: this version runs lsd and drifting flow heads."),
        }];
        for (int i = 0; i < _timeEmbed.Length; i++)
            _timeEmbed[i] = new TimestepEmbedder(backend, Dim, weights.Scope("time_embed", i));
        _condEmbed = backend.PackLinear(ModelWeights.Linear(weights, "cond_embed", Dim, condDim, bias: true));
        _inputProj = backend.PackLinear(ModelWeights.Linear(weights, "input_proj", Dim, latentDim, bias: true));
        _resBlocks = new ResBlock[config.Depth];
        for (int i = 0; i < _resBlocks.Length; i++)
            _resBlocks[i] = new ResBlock(backend, Dim, weights.Scope("res_blocks", i));
        _finalLayer = new FinalLayer(backend, Dim, latentDim, weights.Scope("final_layer"));
    }

    /// <summary>The kind of head: how its output becomes a latent.</summary>
    public FlowType Type { get; }

    /// <summary>Time conditions the net takes (s and t for LSD, none for a drifting head).</summary>
    public int TimeConditions => _timeEmbed.Length;

    /// <summary>Width of the MLP.</summary>
    public int Dim { get; }

    /// <summary>Width of x and of the velocity.</summary>
    public int LatentDim { get; }

    /// <summary>A workspace for evaluations over <paramref name="rows"/> rows.</summary>
    public FlowNetWorkspace CreateWorkspace(int rows) =>
        new(_backend, rows, Dim, LatentDim, TimestepEmbedder.FrequencyFeatures);

    /// <summary>
    /// cond_embed(c) for c [rows, condDim] into workspace.Condition. The condition is fixed during a decode, so
    /// this runs once per decode rather than once per LSD step.
    /// </summary>
    public void EmbedCondition(ITensor c, FlowNetWorkspace workspace) => _backend.Linear(c, _condEmbed, workspace.Condition);

    /// <summary>
    /// The net's output for x [rows, latentDim] (for LSD at times workspace.S and workspace.T [rows, 1]), conditioned
    /// on workspace.Condition, into <paramref name="flow"/> [rows, latentDim] (which must differ from x).
    /// </summary>
    public void Forward(ITensor x, FlowNetWorkspace workspace, ITensor flow)
    {
        ITensorBackend b = _backend;
        ITensor y = workspace.Condition;
        if (TimeConditions > 0)
        {
            _timeEmbed[0].Forward(workspace.S, workspace, workspace.TimeS);
            _timeEmbed[1].Forward(workspace.T, workspace, workspace.TimeT);
            b.Binary(BinaryOp.Add, workspace.TimeS, workspace.TimeT, workspace.Y);
            b.ScaleShift(workspace.Y, 1f / TimeConditions, 0f, workspace.Y); // the reference's "/ num_time_conds", exact for 2
            b.Binary(BinaryOp.Add, workspace.Y, workspace.Condition, workspace.Y);
            y = workspace.Y;
        }
        b.Unary(UnaryOp.Silu, y, workspace.SiluY);

        b.Linear(x, _inputProj, workspace.X);
        foreach (ResBlock block in _resBlocks)
            block.Forward(workspace);
        _finalLayer.Forward(workspace, flow);
    }

    public void Dispose()
    {
        foreach (TimestepEmbedder t in _timeEmbed)
            t.Dispose();
        _condEmbed.Dispose();
        _inputProj.Dispose();
        foreach (ResBlock block in _resBlocks)
            block.Dispose();
        _finalLayer.Dispose();
    }
}
