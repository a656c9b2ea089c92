namespace PocketTts.Tensors;

/// <summary>Element-wise functions of <see cref="ITensorBackend.Unary"/>.</summary>
public enum UnaryOp
{
    /// <summary>ELU with alpha 1: x for x &gt; 0, exp(x) − 1 otherwise (SEANet).</summary>
    Elu,

    /// <summary>Exact GELU, 0.5·x·(1 + erf(x/√2)) (the transformer feed-forward of pocket-tts 2.x; the models use <see cref="GeluTanh"/>).</summary>
    Gelu,

    /// <summary>SiLU, x·sigmoid(x) (flow net).</summary>
    Silu,

    /// <summary>
    /// Tanh-approximate GELU, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), PyTorch's <c>gelu(approximate="tanh")</c>
    /// (transformer feed-forward of pocket-tts 3.x). Last, so that the values of the others stay those plugins were built with.
    /// </summary>
    GeluTanh,
}
