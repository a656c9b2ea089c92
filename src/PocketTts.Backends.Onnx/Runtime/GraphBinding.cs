using Microsoft.ML.OnnxRuntime;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// The inputs and outputs of a graph bound to host buffers: an I/O binding and tensors over the buffers (pinned while
/// bound), made once and reused by every run. A stream keeps one per graph it calls per frame, so a frame makes no
/// binding and no tensor; a view whose rows move between runs (an attention cache's) is bound again with
/// <see cref="View"/>. A one-off call (a prompt, a voice) makes one and disposes it.
/// </summary>
internal sealed class GraphBinding : IDisposable
{
    private readonly OnnxGraph _graph;
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];
    private readonly Dictionary<string, OrtValue> _views = [];

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
    /// Binds <paramref name="name"/> to <paramref name="data"/> until the next call for the same name, which releases
    /// it: for values whose memory or shape changes from run to run. <paramref name="shape"/> is copied.
    /// </summary>
    public void View(string name, bool output, Memory<float> data, long[] shape)
    {
        OrtValue value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape);
        if (output)
            _binding.BindOutput(name, value);
        else
            _binding.BindInput(name, value);
        if (_views.Remove(name, out OrtValue? previous))
            previous.Dispose();
        _views[name] = value;
    }

    public void Run() => _graph.Run(_binding);

    private OrtValue Keep(OrtValue value)
    {
        _values.Add(value);
        return value;
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (OrtValue value in _values.Concat(_views.Values))
            value.Dispose();
    }
}
