using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using PocketTts.Backends.Onnx.Runtime;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// The state tensors of one stream through a community graph, as its bundle manifest lists them: two buffers each
/// (a call reads one and writes the other, then they swap), typed and filled as the manifest says.
/// </summary>
internal sealed class GraphStates
{
    private readonly Buffer[] _buffers;

    public GraphStates(StateEntry[] entries) => _buffers = [.. entries.Select(Buffer.For)];

    /// <summary>The current value of the float32 state at manifest index <paramref name="index"/>.</summary>
    public float[] Floats(int index) => ((Buffer<float>)_buffers[index]).Current;

    /// <summary>The current value of the int64 state at manifest index <paramref name="index"/>.</summary>
    public long[] Longs(int index) => ((Buffer<long>)_buffers[index]).Current;

    /// <summary>Every state back to its initial value.</summary>
    public void Reset()
    {
        foreach (Buffer buffer in _buffers)
            buffer.Fill();
    }

    /// <summary>Adds every state's input (current value) and output (the other buffer) to <paramref name="call"/>.</summary>
    public void Bind(GraphCall call)
    {
        foreach (Buffer buffer in _buffers)
            buffer.Bind(call);
    }

    /// <summary>After a call: the outputs become the current values.</summary>
    public void Swap()
    {
        foreach (Buffer buffer in _buffers)
            buffer.Swap();
    }

    /// <summary>
    /// Checks that <paramref name="graph"/> (<paramref name="file"/>) has every state as an input and an output of the
    /// manifest's type and shape.
    /// </summary>
    /// <exception cref="InvalidDataException">A state is missing or declared otherwise; the message names the file, the state and both shapes.</exception>
    public static void Check(StateEntry[] entries, OnnxGraph graph, string file, string manifest)
    {
        foreach (StateEntry entry in entries)
        {
            Check(entry, graph.InputMetadata(entry.InputName), entry.InputName, file, manifest);
            Check(entry, graph.OutputMetadata(entry.OutputName), entry.OutputName, file, manifest);
        }
    }

    private static void Check(StateEntry entry, NodeMetadata? metadata, string name, string file, string manifest)
    {
        if (metadata is null)
            throw new InvalidDataException($"{file} has no '{name}', which bundle.json's {manifest} names for {entry.Path}.");
        TensorElementType expected = entry.Dtype switch
        {
            StateDtype.Float32 => TensorElementType.Float,
            StateDtype.Int64 => TensorElementType.Int64,
            _ => TensorElementType.Bool,
        };
        int[] dims = metadata.Dimensions;
        bool shapeMatches = dims.Length == entry.Shape.Length && dims.Zip(entry.Shape).All(d => d.First < 0 || d.First == d.Second);
        if (metadata.ElementDataType != expected || !shapeMatches)
        {
            throw new InvalidDataException(
                $"{file} declares '{name}' as {metadata.ElementDataType} [{string.Join(", ", dims)}]; bundle.json's {manifest} gives {entry.Path} as {expected} [{string.Join(", ", entry.Shape)}].");
        }
    }

    private abstract class Buffer
    {
        public static Buffer For(StateEntry entry) => entry.Dtype switch
        {
            StateDtype.Float32 => new Buffer<float>(entry, entry.Fill switch { StateFill.Ones => 1f, StateFill.NaN => float.NaN, _ => 0f }),
            StateDtype.Int64 => new Buffer<long>(entry, entry.Fill == StateFill.Ones ? 1L : 0L),
            _ => new Buffer<bool>(entry, entry.Fill == StateFill.Ones),
        };

        public abstract void Fill();

        public abstract void Bind(GraphCall call);

        public abstract void Swap();
    }

    private sealed class Buffer<T> : Buffer
        where T : unmanaged
    {
        private readonly StateEntry _entry;
        private readonly long[] _shape;
        private readonly T _initial;

        public Buffer(StateEntry entry, T initial)
        {
            _entry = entry;
            _shape = entry.LongShape;
            _initial = initial;
            Current = new T[entry.Count];
            Next = new T[entry.Count];
            Fill();
        }

        public T[] Current { get; private set; }

        public T[] Next { get; private set; }

        public override void Fill() => Current.AsSpan().Fill(_initial);

        public override void Bind(GraphCall call) =>
            call.Input(_entry.InputName, Current.AsMemory(), _shape)
                .Output(_entry.OutputName, Next.AsMemory(), _shape);

        public override void Swap() => (Current, Next) = (Next, Current);
    }
}
