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

    /// <summary>Boolean, one byte per element (0 or 1).</summary>
    Bool,
}

/// <summary>Sizes and safetensors names of <see cref="TensorDType"/>.</summary>
public static class TensorDTypes
{
    /// <summary>The names accepted in a header, for error messages.</summary>
    public const string Supported = "F32, F16, BF16, I8, I64, BOOL";

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this TensorDType dtype) => dtype switch
    {
        TensorDType.F32 => 4,
        TensorDType.F16 or TensorDType.BF16 => 2,
        TensorDType.I64 => 8,
        TensorDType.I8 or TensorDType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown element type."),
    };

    /// <summary>The name a safetensors header uses (<c>F32</c>, <c>BOOL</c>, …).</summary>
    public static string SafeTensorsName(this TensorDType dtype) => dtype switch
    {
        TensorDType.F32 => "F32",
        TensorDType.F16 => "F16",
        TensorDType.BF16 => "BF16",
        TensorDType.I8 => "I8",
        TensorDType.I64 => "I64",
        TensorDType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown element type."),
    };

    /// <summary>Parses a safetensors dtype name; false for types Pocket TTS does not read (F64, I32, U8, …).</summary>
    public static bool TryParse(string? name, out TensorDType dtype)
    {
        TensorDType? parsed = name switch
        {
            "F32" => TensorDType.F32,
            "F16" => TensorDType.F16,
            "BF16" => TensorDType.BF16,
            "I8" => TensorDType.I8,
            "I64" => TensorDType.I64,
            "BOOL" => TensorDType.Bool,
            _ => null,
        };
        dtype = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }

    /// <summary>
    /// Bytes of a tensor of <paramref name="shape"/>, or -1 when a dimension is negative or the count does not fit in
    /// a <see cref="long"/> (a hostile header must not wrap around to a small size).
    /// </summary>
    public static long ByteCount(this TensorDType dtype, ReadOnlySpan<int> shape)
    {
        long count = dtype.ElementSize();
        foreach (int d in shape)
        {
            if (d < 0 || (d != 0 && count > long.MaxValue / d))
                return -1;
            count *= d;
        }
        return count;
    }
}
