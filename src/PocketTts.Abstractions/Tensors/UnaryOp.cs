namespace PocketTts.Tensors;

/// <summary>Element-wise functions of <see cref="ITensorBackend.Unary"/>.</summary>
public enum UnaryOp
{
    /// <summary>ELU with alpha 1: x for x &gt; 0, exp(x) − 1 otherwise (SEANet).</summary>
    Elu,

    /// <summary>Exact GELU, 0.5·x·(1 + erf(x/√2)) (transformer feed-forward).</summary>
    Gelu,

    /// <summary>SiLU, x·sigmoid(x) (flow net).</summary>
    Silu,
}
