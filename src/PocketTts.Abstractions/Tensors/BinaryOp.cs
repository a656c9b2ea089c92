namespace PocketTts.Tensors;

/// <summary>Element-wise operations of <see cref="ITensorBackend.Binary"/>.</summary>
public enum BinaryOp
{
    /// <summary>a + b.</summary>
    Add,

    /// <summary>a · b.</summary>
    Multiply,
}
