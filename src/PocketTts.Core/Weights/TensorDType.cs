namespace PocketTts.Weights;

/// <summary>Element types of safetensors tensors that Pocket TTS reads.</summary>
public enum TensorDType
{
    /// <summary>IEEE float32.</summary>
    F32,

    /// <summary>IEEE float16.</summary>
    F16,

    /// <summary>bfloat16.</summary>
    BF16,

    /// <summary>Signed 8-bit integer (quantized weights).</summary>
    I8,

    /// <summary>Signed 64-bit integer (token ids, offsets).</summary>
    I64,

    /// <summary>Boolean, one byte per element.</summary>
    Bool,
}
