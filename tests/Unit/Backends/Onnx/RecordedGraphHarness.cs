using Microsoft.ML.OnnxRuntime;
using PocketTts.Backends.Onnx;
using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Graphs.Onnx;
using PocketTts.Tensors;

namespace PocketTts.Tests.Unit.Backends.Onnx;

/// <summary>
/// Records an operation sequence on the <see cref="GraphRecorder"/>, runs the graph in ONNX Runtime, and runs the
/// same sequence on the managed backend: the two must agree.
/// </summary>
internal sealed class RecordedGraphHarness : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recorded-graph-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A graph from <paramref name="body"/> over inputs of the given shapes and one output of <paramref name="output"/>.</summary>
    public static RecordedGraph Record(TensorShape[] inputs, TensorShape output, Action<ITensorBackend, ITensor[], ITensor> body, GraphRecorder? recorder = null)
    {
        recorder ??= new GraphRecorder();
        ITensor[] x = [.. inputs.Select(recorder.Allocate)];
        ITensor y = recorder.Allocate(output);
        recorder.BeginGraph("test");
        for (int i = 0; i < x.Length; i++)
            recorder.Input(x[i], $"x{i}");
        body(recorder, x, y);
        recorder.Output(y, "y");
        recorder.EndGraph();
        return recorder.Graphs["test"];
    }

    /// <summary>Opens a recorded graph in ONNX Runtime.</summary>
    public OpenedGraph Open(RecordedGraph graph)
    {
        using (FileStream file = File.Create(Path.Combine(_folder, graph.Spec.File)))
            graph.WriteTo(file);
        using SessionOptions options = OnnxRuntimeLibrary.CpuSession(1);
        return new OpenedGraph(new OnnxGraph(_folder, graph.Spec, options), graph.Spec);
    }

    /// <summary>
    /// Runs <paramref name="opened"/> once per entry of <paramref name="calls"/>, carrying state and caches (of
    /// <paramref name="cacheRows"/> buffer rows each).
    /// </summary>
    public static float[][] Run(OpenedGraph opened, float[][][] calls, int outputLength, int cacheRows = 64)
    {
        (OnnxGraph graph, GraphSpec spec) = opened;
        var stream = new StreamState([graph], cacheRows);
        var results = new List<float[]>();
        foreach (float[][] inputs in calls)
        {
            var y = new float[outputLength];
            using StreamCall call = stream.Bind(graph);
            for (int i = 0; i < inputs.Length; i++)
                call.Input($"x{i}", inputs[i].AsMemory(), [.. spec.Inputs[i].Shape.Select(d => (long)d)]);
            call.Output("y", y.AsMemory(), [.. spec.Outputs[0].Shape.Select(d => (long)d)]);
            stream.Run(call, graph.Signature.CacheRowsPerCall);
            results.Add(y);
        }
        return [.. results];
    }

    /// <summary>The managed backend's result of <paramref name="body"/> on constant inputs.</summary>
    public static float[] Managed(ITensorBackend backend, float[][] inputs, TensorShape[] shapes, TensorShape output, Action<ITensorBackend, ITensor[], ITensor> body)
    {
        ITensor[] x = [.. inputs.Select((values, i) => backend.Constant(values, shapes[i]))];
        using ITensor y = backend.Allocate(output);
        body(backend, x, y);
        var result = new float[output.ElementCount];
        backend.Read(y, result);
        foreach (ITensor t in x)
            t.Dispose();
        return result;
    }
}

/// <summary>A recorded graph in an ONNX Runtime session, with the manifest entry the recorder wrote for it.</summary>
internal sealed record OpenedGraph(OnnxGraph Graph, GraphSpec Spec) : IDisposable
{
    public void Dispose() => Graph.Dispose();
}
