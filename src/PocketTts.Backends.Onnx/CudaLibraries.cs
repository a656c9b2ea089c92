using System.Runtime.InteropServices;

namespace PocketTts.Backends.Onnx;

/// <summary>
/// The NVIDIA libraries ONNX Runtime's CUDA provider needs (1.31: CUDA 13 and cuDNN 9), checked by loading them
/// the way the provider will, so <c>pocket-tts backends</c> names exactly what is missing.
/// </summary>
internal static class CudaLibraries
{
    private static readonly (string Library, string Provides)[] Required =
    [
        ("libcuda.so.1", "the NVIDIA driver"),
        ("libcudart.so.13", "the CUDA 13 runtime"),
        ("libcublas.so.13", "cuBLAS 13"),
        ("libcublasLt.so.13", "cuBLASLt 13"),
        ("libcurand.so.10", "cuRAND"),
        ("libcudnn.so.9", "cuDNN 9"),
    ];

    /// <summary>Null when every library loads, otherwise the missing ones by name.</summary>
    public static string? Missing()
    {
        var missing = new List<string>();
        foreach ((string library, string provides) in Required)
        {
            if (NativeLibrary.TryLoad(library, out IntPtr handle))
                NativeLibrary.Free(handle);
            else
                missing.Add($"{library} ({provides})");
        }
        return missing.Count == 0
            ? null
            : $"missing {string.Join(", ", missing)}; onnx-cuda needs an NVIDIA GPU with its driver, CUDA 13 (cudart, cuBLAS, cuBLASLt, cuRAND) and cuDNN 9 on the library path (LD_LIBRARY_PATH).";
    }
}
