namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// A graph bound to a stream (<see cref="StreamState.Bind"/>): one binding per buffer of the stream's states, each
/// with the call's own inputs and outputs, made once and run by <see cref="StreamState.Run"/> as often as needed.
/// </summary>
internal sealed class StreamCall : IDisposable
{
    public StreamCall(OnnxGraph graph, StateBuffers[] untouched)
    {
        Graph = graph;
        Untouched = untouched;
        Bindings = [new GraphBinding(graph), new GraphBinding(graph)];
    }

    public OnnxGraph Graph { get; }

    /// <summary>The binding to run while the stream's parity is 0, and the one for 1.</summary>
    public GraphBinding[] Bindings { get; }

    /// <summary>The stream's states the graph does not write, copied forward after a call.</summary>
    public StateBuffers[] Untouched { get; }

    /// <summary>Binds input <paramref name="port"/> to <paramref name="data"/> (of the stage's shape <paramref name="dims"/>) in both bindings.</summary>
    public StreamCall Input<T>(Port port, Memory<T> data, params long[] dims)
        where T : unmanaged => Input(port.Name, data, port.Shape(dims));

    /// <summary>Binds output <paramref name="port"/> to <paramref name="data"/> (of the stage's shape <paramref name="dims"/>) in both bindings.</summary>
    public StreamCall Output<T>(Port port, Memory<T> data, params long[] dims)
        where T : unmanaged => Output(port.Name, data, port.Shape(dims));

    /// <summary>Binds input <paramref name="name"/> to <paramref name="data"/> of shape <paramref name="shape"/> in both bindings.</summary>
    public StreamCall Input<T>(string name, Memory<T> data, params long[] shape)
        where T : unmanaged
    {
        foreach (GraphBinding binding in Bindings)
            binding.Input(name, data, shape);
        return this;
    }

    /// <summary>Binds output <paramref name="name"/> to <paramref name="data"/> of shape <paramref name="shape"/> in both bindings.</summary>
    public StreamCall Output<T>(string name, Memory<T> data, params long[] shape)
        where T : unmanaged
    {
        foreach (GraphBinding binding in Bindings)
            binding.Output(name, data, shape);
        return this;
    }

    public void Dispose()
    {
        foreach (GraphBinding binding in Bindings)
            binding.Dispose();
    }
}
