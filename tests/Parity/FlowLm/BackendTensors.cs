using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.FlowLm;

/// <summary>Moves fixture tensors in and out of a backend.</summary>
internal static class BackendTensors
{
    /// <summary>A fixture tensor as a backend constant, batch axis and all (a [1, T, D] tensor stays rank 3).</summary>
    public static ITensor Input(this ITensorBackend backend, SafeTensorsFile fixture, string name) =>
        backend.Constant(fixture.Floats(name), new TensorShape([.. fixture[name].Shape]));

    /// <summary>Every value of a backend tensor.</summary>
    public static float[] ReadAll(this ITensorBackend backend, ITensor tensor)
    {
        var values = new float[tensor.Shape.ElementCount];
        backend.Read(tensor, values);
        return values;
    }
}
