using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// Binds the views of an attention cache through ONNX Runtime's C API. A view's rows move with every call, so it is
/// bound anew each time; the managed API would allocate an <see cref="OrtValue"/> and the name in UTF-8 per bind
/// (about 120 bytes per view, 8 views per frame of a two-layer model), the C API allocates no managed memory: the name
/// is encoded once, the shape lives on the stack, and the tensor over the (pinned) cache buffer is released as soon as
/// the binding holds its own reference.
/// </summary>
internal static unsafe class CacheViewBinder
{
    // Places of the functions in struct OrtApi (onnxruntime_c_api.h). The struct only grows at its end, so these hold
    // for every API version that has them.
    private const int GetErrorMessage = 2, CreateTensorWithDataAsOrtValue = 49, CreateCpuMemoryInfo = 69;
    private const int ReleaseStatus = 93, ReleaseValue = 96, BindInput = 136, BindOutput = 137;

    // The API version asked for: the one of ONNX Runtime 1.16, older than any package this project builds with.
    private const uint ApiVersion = 16;

    private const int FloatType = 1;          // ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT
    private const int ArenaAllocator = 1;     // OrtArenaAllocator
    private const int DefaultMemory = 0;      // OrtMemTypeDefault

    private static readonly nint* Api = LoadApi();
    private static readonly nint CpuMemory = CreateCpuMemory();

    /// <summary>A name as the C API takes it: UTF-8, zero-terminated.</summary>
    public static byte[] Name(string name)
    {
        var utf8 = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, utf8);
        return utf8;
    }

    /// <summary>
    /// Binds <paramref name="name"/> (from <see cref="Name"/>) on <paramref name="binding"/> to the float32 tensor
    /// [rows, heads, headDim] at <paramref name="start"/> of <paramref name="buffer"/>, which must be pinned.
    /// </summary>
    public static void Bind(OrtIoBinding binding, byte[] name, bool output, float[] buffer, long start, int rows, int heads, int headDim)
    {
        long* shape = stackalloc long[] { rows, heads, headDim };
        nuint bytes = (nuint)((long)rows * heads * headDim * sizeof(float));
        nint value;
        fixed (float* data = buffer)
            Check(((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)Api[CreateTensorWithDataAsOrtValue])(CpuMemory, data + start, bytes, shape, 3, FloatType, &value));
        try
        {
            fixed (byte* utf8 = name)
                Check(((delegate* unmanaged<nint, byte*, nint, nint>)Api[output ? BindOutput : BindInput])(binding.DangerousGetHandle(), utf8, value));
        }
        finally
        {
            ((delegate* unmanaged<nint, void>)Api[ReleaseValue])(value);   // the binding keeps its own reference
        }
    }

    private static nint* LoadApi()
    {
        // The library ONNX Runtime's managed assembly loaded, resolved as that assembly resolves it (plugin load context included).
        nint library = NativeLibrary.Load("onnxruntime", typeof(OrtEnv).Assembly, null);
        var getApiBase = (delegate* unmanaged<nint*>)NativeLibrary.GetExport(library, "OrtGetApiBase");
        nint* apiBase = getApiBase();   // struct OrtApiBase { GetApi(version), GetVersionString() }
        var api = ((delegate* unmanaged<uint, nint*>)apiBase[0])(ApiVersion);
        return api is not null ? api : throw new InvalidOperationException($"ONNX Runtime does not offer its C API version {ApiVersion}.");
    }

    private static nint CreateCpuMemory()
    {
        nint info;
        Check(((delegate* unmanaged<int, int, nint*, nint>)Api[CreateCpuMemoryInfo])(ArenaAllocator, DefaultMemory, &info));
        return info;   // lives as long as the process, as OrtMemoryInfo.DefaultInstance does
    }

    private static void Check(nint status)
    {
        if (status == 0)
            return;
        string message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)Api[GetErrorMessage])(status)) ?? "unknown error";
        ((delegate* unmanaged<nint, void>)Api[ReleaseStatus])(status);
        throw new InvalidOperationException($"ONNX Runtime refused to bind an attention cache view: {message}");
    }
}
