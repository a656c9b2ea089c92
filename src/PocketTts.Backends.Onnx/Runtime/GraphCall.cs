using Microsoft.ML.OnnxRuntime;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>The inputs and outputs of one graph run: tensors over host buffers, disposed after the run.</summary>
internal sealed class GraphCall : IDisposable
{
    private readonly List<OrtValue> _values = [];

    public List<(string Name, OrtValue Value)> Inputs { get; } = [];

    public List<(string Name, OrtValue Value)> Outputs { get; } = [];

    public GraphCall Input(string name, Memory<float> data, params long[] shape)
    {
        Inputs.Add((name, Track(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape))));
        return this;
    }

    public GraphCall Input(string name, long[] data, params long[] shape)
    {
        Inputs.Add((name, Track(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data.AsMemory(), shape))));
        return this;
    }

    /// <summary>An input of any element type ONNX Runtime maps (int64, bool, …); an empty tensor has a 0 dimension.</summary>
    public GraphCall Input<T>(string name, Memory<T> data, params long[] shape)
        where T : unmanaged
    {
        Inputs.Add((name, Track(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape))));
        return this;
    }

    /// <summary>An output of any element type ONNX Runtime maps (int64, bool, …).</summary>
    public GraphCall Output<T>(string name, Memory<T> data, params long[] shape)
        where T : unmanaged
    {
        Outputs.Add((name, Track(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape))));
        return this;
    }

    public GraphCall Output(string name, Memory<float> data, params long[] shape)
    {
        Outputs.Add((name, Track(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape))));
        return this;
    }

    public void Run(OnnxGraph graph) => graph.Run(Inputs, Outputs);

    private OrtValue Track(OrtValue value)
    {
        _values.Add(value);
        return value;
    }

    public void Dispose()
    {
        foreach (OrtValue value in _values)
            value.Dispose();
    }
}
