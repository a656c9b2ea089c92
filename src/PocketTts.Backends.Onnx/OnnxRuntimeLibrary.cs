using Microsoft.ML.OnnxRuntime;

namespace PocketTts.Backends.Onnx;

/// <summary>Loading ONNX Runtime's native library, and the session options every graph of a backend shares.</summary>
internal static class OnnxRuntimeLibrary
{
    /// <summary>Null when the native library loads, otherwise why not.</summary>
    public static string? LoadFailure()
    {
        try
        {
            _ = OrtEnv.Instance().GetVersionString();
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or OnnxRuntimeException)
        {
            return $"ONNX Runtime's native library (libonnxruntime.so) does not load: {e.GetBaseException().Message}";
        }
    }

    /// <summary>
    /// Sequential execution on <paramref name="threads"/> intra-op threads (0: ONNX Runtime's default, one per core)
    /// that sleep rather than spin when idle.
    /// </summary>
    public static SessionOptions CpuSession(int threads)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            IntraOpNumThreads = Math.Max(0, threads),
        };
        // The pipeline runs FlowLM and Mimi sessions at once; intra-op threads that spin while idle take the other
        // session's core (bench --threads 2: FlowLM step 15.7 → 8.3 ms, RTF 3.2 → 6.7× without spinning).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>
    /// The CUDA execution provider on device <paramref name="device"/>; operations it lacks fall back to the CPU.
    /// Whole-graph partitions stay on the GPU; inputs and outputs cross per call.
    /// </summary>
    public static SessionOptions CudaSession(int device)
    {
        SessionOptions options = CpuSession(threads: 1);
        try
        {
            options.AppendExecutionProvider_CUDA(device);
        }
        catch
        {
            options.Dispose();
            throw;
        }
        return options;
    }
}
