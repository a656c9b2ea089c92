using Microsoft.ML.OnnxRuntime;
using PocketTts.Graphs.Onnx;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>One graph file in an ONNX Runtime session, run with I/O binding onto caller-owned buffers (<see cref="GraphBinding"/>).</summary>
internal sealed class OnnxGraph : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    /// <exception cref="InvalidDataException">ONNX Runtime rejects the graph; the message names the file and says why.</exception>
    public OnnxGraph(string directory, GraphSpec spec, SessionOptions options)
    {
        Spec = spec;
        string path = Path.Combine(directory, spec.File);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The ONNX graph '{spec.Name}' is missing: {path}.", path);
        try
        {
            _session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            _run.Dispose();
            throw new InvalidDataException($"ONNX Runtime cannot load {path}: {e.Message}", e);
        }
    }

    public GraphSpec Spec { get; }

    /// <summary>Rows a call of a fixed-shape graph appends to its caches, as recorded (0 for a graph without caches).</summary>
    public int CacheRowsPerCall => Spec.Caches.Length == 0 ? 0 : Spec.Caches[0].Rows;

    /// <summary>The declared type and dimensions (−1 where symbolic) of input <paramref name="name"/>, or null when there is none.</summary>
    public NodeMetadata? InputMetadata(string name) => _session.InputMetadata.GetValueOrDefault(name);

    /// <summary>The declared type and dimensions (−1 where symbolic) of output <paramref name="name"/>, or null when there is none.</summary>
    public NodeMetadata? OutputMetadata(string name) => _session.OutputMetadata.GetValueOrDefault(name);

    /// <summary>A new I/O binding on this graph's session (see <see cref="GraphBinding"/>).</summary>
    public OrtIoBinding CreateBinding() => _session.CreateIoBinding();

    /// <summary>Runs the graph on what <paramref name="binding"/> binds.</summary>
    public void Run(OrtIoBinding binding) => _session.RunWithBinding(_run, binding);

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
