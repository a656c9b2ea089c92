using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using PocketTts.Backends.Onnx.Runtime;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// The state tensors of one stream through a community graph, as its bundle manifest lists them: two buffers each
/// (a call reads one and writes the other, then they swap), typed and filled as the manifest says. A stream binds the
/// graph twice, once per <see cref="Parity"/>, and alternates: the states' bindings never change.
/// </summary>
internal sealed class GraphStates
{
    private readonly Buffer[] _buffers;

    public GraphStates(StateEntry[] entries) => _buffers = [.. entries.Select(Buffer.For)];

    /// <summary>Which of each state's two buffers holds its current value (0 or 1).</summary>
    public int Parity { get; private set; }

    /// <summary>The current value of the float32 state at manifest index <paramref name="index"/>.</summary>
    public float[] Floats(int index) => ((Buffer<float>)_buffers[index]).Values[Parity];

    /// <summary>The current value of the int64 state at manifest index <paramref name="index"/>.</summary>
    public long[] Longs(int index) => ((Buffer<long>)_buffers[index]).Values[Parity];

    /// <summary>Every state back to its initial value.</summary>
    public void Reset()
    {
        foreach (Buffer buffer in _buffers)
            buffer.Fill(Parity);
    }

    /// <summary>
    /// Binds every state's input to its buffer <paramref name="parity"/> and its output to the other one: the binding
    /// to run while <see cref="Parity"/> is <paramref name="parity"/>.
    /// </summary>
    public GraphBinding Bind(GraphBinding binding, int parity)
    {
        foreach (Buffer buffer in _buffers)
            buffer.Bind(binding, parity);
        return binding;
    }

    /// <summary>After a run: the outputs become the current values.</summary>
    public void Swap() => Parity ^= 1;

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

        public abstract void Fill(int parity);

        public abstract void Bind(GraphBinding binding, int parity);
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
            Values = [new T[entry.Count], new T[entry.Count]];
            Fill(0);
        }

        /// <summary>The two buffers; <see cref="GraphStates.Parity"/> says which is current.</summary>
        public T[][] Values { get; }

        public override void Fill(int parity) => Values[parity].AsSpan().Fill(_initial);

        public override void Bind(GraphBinding binding, int parity) =>
            binding.Input(_entry.InputName, Values[parity].AsMemory(), _shape)
                   .Output(_entry.OutputName, Values[parity ^ 1].AsMemory(), _shape);
    }
}
