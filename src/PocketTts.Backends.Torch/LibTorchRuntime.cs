using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;

namespace PocketTts.Backends.Torch;

/// <summary>
/// Loads LibTorch once per process, from the plugin's own folder, and says precisely why it cannot when it cannot.
/// </summary>
/// <remarks>
/// TorchSharp's own loader, when the first load fails, copies LibTorch out of the NuGet cache next to itself and
/// then reports that the application "doesn't contain a reference to libtorch-cpu-linux-x64", whatever the cause.
/// So the library is loaded here first, by path, and the loader's own message (a missing file, a missing
/// GLIBCXX version, ...) becomes the reason; TorchSharp is initialised only after that succeeded.
/// </remarks>
internal static partial class LibTorchRuntime
{
    /// <summary>The native libraries the CPU backend needs, in the plugin folder.</summary>
    private static readonly string[] CpuLibraries = ["libLibTorchSharp.so", "libtorch.so", "libtorch_cpu.so", "libc10.so"];

    private static readonly Lazy<string?> CpuFailure = new(LoadCpu);
    private static readonly Lazy<string?> CudaFailure = new(LoadCuda);

    /// <summary>The folder holding the plugin and its native libraries.</summary>
    public static string Folder { get; } = Path.GetDirectoryName(typeof(LibTorchRuntime).Assembly.Location) ?? AppContext.BaseDirectory;

    /// <summary>Null when LibTorch runs on the CPU here, otherwise why not.</summary>
    public static string? CpuUnavailableReason => CpuFailure.Value;

    /// <summary>Null when LibTorch runs on a CUDA device here, otherwise why not.</summary>
    public static string? CudaUnavailableReason => CudaFailure.Value;

    /// <summary>LibTorch's own choice of intra-op threads (one per physical core), read when it was loaded.</summary>
    public static int DefaultThreads { get; private set; } = 1;

    /// <summary>LibTorch's version and its intra-op threads, for the probe's detail.</summary>
    public static string Describe() => $"LibTorch {torch.__version__}, {torch.get_num_threads()} intra-op threads";

    private static string? LoadCpu()
    {
        foreach (string library in CpuLibraries)
        {
            if (!File.Exists(Path.Combine(Folder, library)))
                return $"{library} is missing from the plugin folder {Folder}; reinstall the torch plugin (build src/PocketTts.Backends.Torch).";
        }
        try
        {
            NativeLibrary.Load(Path.Combine(Folder, "libLibTorchSharp.so"));
        }
        catch (DllNotFoundException ex)
        {
            return ExplainLoadFailure(ex.Message);
        }
        catch (BadImageFormatException ex)
        {
            return $"libLibTorchSharp.so in {Folder} is not a usable shared library: {ex.Message}";
        }
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            DefaultThreads = torch.get_num_threads();
            return null;
        }
        catch (Exception ex) when (IsLoadFailure(ex))
        {
            return $"TorchSharp could not initialise LibTorch: {FirstLine(Root(ex).Message)}";
        }
    }

    private static string? LoadCuda()
    {
        if (CpuUnavailableReason is { } cpu)
            return cpu;
        if (!File.Exists(Path.Combine(Folder, "libtorch_cuda.so")))
        {
            return $"LibTorch with CUDA is not installed: {Folder} holds the CPU-only LibTorch (no libtorch_cuda.so). "
                + "Put LibTorch 2.10.0 for CUDA 12.8 there, as docs/backends.md describes.";
        }
        if (!NativeLibrary.TryLoad("libcuda.so.1", out _))
            return "the NVIDIA driver's libcuda.so.1 was not found: no NVIDIA driver is installed (or it is not on the loader's path).";
        try
        {
            NativeLibrary.Load(Path.Combine(Folder, "libtorch_cuda.so"));
            if (!torch.TryInitializeDeviceType(DeviceType.CUDA))
                return "torch.cuda.is_available() is false: LibTorch with CUDA loaded but sees no usable CUDA device (check nvidia-smi and CUDA_VISIBLE_DEVICES).";
            return null;
        }
        catch (DllNotFoundException ex)
        {
            return ExplainLoadFailure(ex.Message);
        }
        catch (Exception ex) when (IsLoadFailure(ex))
        {
            return $"TorchSharp could not initialise LibTorch for CUDA: {FirstLine(Root(ex).Message)}";
        }
    }

    /// <summary>Turns the dynamic loader's message into a reason that says what to do.</summary>
    internal static string ExplainLoadFailure(string message)
    {
        Match glibcxx = GlibcxxVersion().Match(message);
        if (glibcxx.Success)
        {
            return $"the system's libstdc++ lacks {glibcxx.Value}, which a native LibTorch library asks for ({FirstLine(message)}). "
                + "The build marks GLIBCXX_3.4.32 weak in libLibTorchSharp.so (build/LibTorchSharp.targets); this copy was not "
                + "patched, or another library needs a newer libstdc++ (install a newer libstdc++6).";
        }
        return $"a native LibTorch library failed to load: {FirstLine(message)}";
    }

    // TorchSharp's static constructor loads LibTorch, so its failures arrive wrapped in a TypeInitializationException.
    private static bool IsLoadFailure(Exception ex) =>
        Root(ex) is NotSupportedException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException;

    private static Exception Root(Exception ex) => ex is TypeInitializationException { InnerException: { } inner } ? Root(inner) : ex;

    private static string FirstLine(string message)
    {
        string trimmed = message.Trim();
        int end = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? trimmed : trimmed[..end].TrimEnd();
    }

    [GeneratedRegex(@"GLIBCXX_[0-9.]+[0-9]")]
    private static partial Regex GlibcxxVersion();
}
