using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PocketTts.Weights;

/// <summary>Element-type conversions done once, at load.</summary>
public static class WeightConversion
{
    /// <summary>
    /// Converts an F32, F16 or BF16 tensor to a new float32 array. When the tensor is a view of a mapped file, its
    /// pages are then released from the process's resident memory (they stay readable: a later read loads them from
    /// the file again).
    /// </summary>
    /// <exception cref="InvalidDataException">The tensor has another element type.</exception>
    public static float[] ToFloat32(WeightTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ReadOnlySpan<byte> bytes = tensor.Data.Span;
        var result = new float[tensor.ElementCount];
        switch (tensor.DType)
        {
            case TensorDType.F32:
                if (BitConverter.IsLittleEndian)
                    MemoryMarshal.Cast<byte, float>(bytes).CopyTo(result);
                else
                    for (int i = 0; i < result.Length; i++)
                        result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
                break;
            case TensorDType.F16:
                for (int i = 0; i < result.Length; i++)
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            case TensorDType.BF16:
                // bfloat16 is the upper half of a float32.
                for (int i = 0; i < result.Length; i++)
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                break;
            default:
                throw new InvalidDataException($"Tensor '{tensor.Name}' has element type {tensor.DType}; a float type (F32, F16, BF16) is required here.");
        }
        MappedMemory.Release(tensor.Data);
        return result;
    }

    /// <summary>Returns the bytes of an I8 tensor as a new signed byte array (releasing mapped pages as <see cref="ToFloat32"/>).</summary>
    /// <exception cref="InvalidDataException">The tensor is not I8.</exception>
    public static sbyte[] ToInt8(WeightTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DType != TensorDType.I8)
            throw new InvalidDataException($"Tensor '{tensor.Name}' has element type {tensor.DType}; I8 is required here.");
        sbyte[] result = MemoryMarshal.Cast<byte, sbyte>(tensor.Data.Span).ToArray();
        MappedMemory.Release(tensor.Data);
        return result;
    }
}
