namespace PocketTts.Model.Mimi;

/// <summary>How a streaming convolution fills its history before the first input (reference: <c>pad_mode</c>).</summary>
internal enum PadMode
{
    /// <summary>Zeros: causal left padding (SEANet).</summary>
    Constant,

    /// <summary>Copies of the first input frame (the downsampling convolution).</summary>
    Replicate,
}
