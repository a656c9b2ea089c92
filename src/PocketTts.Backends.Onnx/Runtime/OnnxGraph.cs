using Microsoft.ML.OnnxRuntime;
using PocketTts.Graphs.Onnx;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>One graph file in an ONNX Runtime session, run with I/O binding onto caller-owned buffers (<see cref="GraphBinding"/>).</summary>
internal sealed class OnnxGraph : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    /// <summary>Opens a graph this project exported, as its manifest entry <paramref name="spec"/> describes it.</summary>
    /// <exception cref="InvalidDataException">ONNX Runtime rejects the graph; the message names the file and says why.</exception>
    public OnnxGraph(string directory, GraphSpec spec, SessionOptions options)
        : this(directory, GraphSignature.Of(spec), options)
    {
    }

    /// <summary>Opens <paramref name="signature"/>'s file in <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime rejects the graph; the message names the file and says why.</exception>
    public OnnxGraph(string directory, GraphSignature signature, SessionOptions options)
    {
        Signature = signature;
        CacheViews = [.. signature.Caches.Select(c => new CacheViewNames(c))];
        FilePath = Path.Combine(directory, signature.File);
        if (!File.Exists(FilePath))
            throw new FileNotFoundException($"The ONNX graph '{signature.Name}' is missing: {FilePath}.", FilePath);
        try
        {
            _session = new InferenceSession(FilePath, options);
        }
        catch (OnnxRuntimeException e)
        {
            _run.Dispose();
            throw new InvalidDataException($"ONNX Runtime cannot load {FilePath}: {e.Message}", e);
        }
    }

    public GraphSignature Signature { get; }

    /// <summary>The names of the views of each cache in <see cref="GraphSignature.Caches"/>, in its order.</summary>
    public CacheViewNames[] CacheViews { get; }

    /// <summary>The graph file's full path, for messages.</summary>
    public string FilePath { get; }

    /// <summary>The declared type and dimensions (−1 where symbolic) of input <paramref name="name"/>, or null when there is none.</summary>
    public NodeMetadata? InputMetadata(string name) => _session.InputMetadata.GetValueOrDefault(name);

    /// <summary>The declared type and dimensions (−1 where symbolic) of output <paramref name="name"/>, or null when there is none.</summary>
    public NodeMetadata? OutputMetadata(string name) => _session.OutputMetadata.GetValueOrDefault(name);

    /// <summary>Input <paramref name="name"/> as a stage binds it.</summary>
    /// <exception cref="InvalidDataException">The graph has no such input.</exception>
    public Port Input(string name) =>
        InputMetadata(name) is { } input
            ? new Port(name, input.Dimensions.Length)
            : throw new InvalidDataException($"{FilePath} has no input '{name}'; a {Signature.Name} graph takes {string.Join(", ", _session.InputMetadata.Keys)}.");

    /// <summary>Output <paramref name="name"/> as a stage binds it.</summary>
    /// <exception cref="InvalidDataException">The graph has no such output.</exception>
    public Port Output(string name) =>
        OutputMetadata(name) is { } output
            ? new Port(name, output.Dimensions.Length)
            : throw new InvalidDataException($"{FilePath} has no output '{name}'; a {Signature.Name} graph returns {string.Join(", ", _session.OutputMetadata.Keys)}.");

    /// <summary>A new I/O binding on this graph's session (see <see cref="GraphBinding"/>).</summary>
    public OrtIoBinding CreateBinding() => _session.CreateIoBinding();

    /// <summary>Runs the graph on what <paramref name="binding"/> binds.</summary>
    /// <exception cref="InvalidDataException">ONNX Runtime refused the call (a graph that does not take what its stage binds); the message names the file.</exception>
    public void Run(OrtIoBinding binding)
    {
        try
        {
            _session.RunWithBinding(_run, binding);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime cannot run {FilePath}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
