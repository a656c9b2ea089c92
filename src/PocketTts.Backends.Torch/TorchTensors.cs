using System.Runtime.InteropServices;
using TorchSharp;

namespace PocketTts.Backends.Torch;

/// <summary>Host ↔ device copies and the small rules of TorchSharp's handles.</summary>
internal static class TorchTensors
{
    /// <summary>A new float32 tensor on <paramref name="device"/> holding a copy of <paramref name="values"/>.</summary>
    public static torch.Tensor FromHost(ReadOnlySpan<float> values, long[] dims, torch.Device device)
    {
        torch.Tensor host = torch.empty(dims, torch.float32, torch.CPU);
        values.CopyTo(MemoryMarshal.Cast<byte, float>(host.bytes));
        if (device.type == DeviceType.CPU)
            return host;
        torch.Tensor moved = host.to(device);
        host.Dispose();
        return moved;
    }

    /// <summary>Copies host values into a contiguous tensor (through a staging copy when it is not in host memory).</summary>
    public static void Write(ReadOnlySpan<float> source, torch.Tensor destination)
    {
        if (destination.device_type == DeviceType.CPU)
        {
            source.CopyTo(MemoryMarshal.Cast<byte, float>(destination.bytes));
            return;
        }
        using torch.Tensor host = FromHost(source, destination.shape, torch.CPU);
        destination.copy_(host);
    }

    /// <summary>Copies a contiguous tensor's values to host memory.</summary>
    public static void Read(torch.Tensor source, Span<float> destination)
    {
        if (source.device_type == DeviceType.CPU)
        {
            MemoryMarshal.Cast<byte, float>(source.bytes).CopyTo(destination);
            return;
        }
        using torch.Tensor host = source.cpu();
        MemoryMarshal.Cast<byte, float>(host.bytes).CopyTo(destination);
    }

    /// <summary>
    /// Releases the handle an operation returned unless it is <paramref name="self"/>: some of TorchSharp's in-place
    /// methods return the receiver, others a second handle to the same tensor.
    /// </summary>
    public static void Drop(torch.Tensor result, torch.Tensor self)
    {
        if (!ReferenceEquals(result, self))
            result.Dispose();
    }
}
