using Microsoft.ML.OnnxRuntime;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// The inputs and outputs of a graph bound to host buffers: an I/O binding and tensors over the buffers (pinned while
/// bound), made once and reused by every run. A stream keeps one per graph it calls per frame, so a frame makes no
/// binding and no tensor; a view whose rows move between runs (an attention cache's) is bound again with
/// <see cref="View"/>, which allocates nothing either. A one-off call (a prompt, a voice) makes one and disposes it.
/// </summary>
internal sealed class GraphBinding : IDisposable
{
    private readonly OnnxGraph _graph;
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];

    public GraphBinding(OnnxGraph graph)
    {
        _graph = graph;
        _binding = graph.CreateBinding();
    }

    /// <summary>Binds input <paramref name="name"/> to <paramref name="data"/> for every run; an empty tensor has a 0 dimension.</summary>
    public GraphBinding Input<T>(string name, Memory<T> data, params long[] shape)
        where T : unmanaged
    {
        _binding.BindInput(name, Keep(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape)));
        return this;
    }

    /// <summary>Binds output <paramref name="name"/> to <paramref name="data"/> for every run.</summary>
    public GraphBinding Output<T>(string name, Memory<T> data, params long[] shape)
        where T : unmanaged
    {
        _binding.BindOutput(name, Keep(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape)));
        return this;
    }

    /// <summary>Binds input <paramref name="port"/> to <paramref name="data"/>, a tensor of the stage's shape <paramref name="dims"/>.</summary>
    public GraphBinding Input<T>(Port port, Memory<T> data, params long[] dims)
        where T : unmanaged => Input(port.Name, data, port.Shape(dims));

    /// <summary>Binds output <paramref name="port"/> to <paramref name="data"/>, a tensor of the stage's shape <paramref name="dims"/>.</summary>
    public GraphBinding Output<T>(Port port, Memory<T> data, params long[] dims)
        where T : unmanaged => Output(port.Name, data, port.Shape(dims));

    /// <summary>
    /// Binds <paramref name="name"/> (encoded by <see cref="CacheViewBinder.Name"/>) to the [rows, heads, headDim]
    /// floats at <paramref name="start"/> of the pinned <paramref name="buffer"/> until the next call for the same name:
    /// for an attention cache's views, whose rows move from run to run. Allocates no managed memory.
    /// </summary>
    public void View(byte[] name, bool output, float[] buffer, long start, int rows, int heads, int headDim) =>
        CacheViewBinder.Bind(_binding, name, output, buffer, start, rows, heads, headDim);

    public void Run() => _graph.Run(_binding);

    private OrtValue Keep(OrtValue value)
    {
        _values.Add(value);
        return value;
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (OrtValue value in _values)
            value.Dispose();
    }
}
