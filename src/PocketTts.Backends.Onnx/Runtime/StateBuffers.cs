namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>The two buffers of one carried state (one shared by both when no graph writes it), typed and filled as the state says.</summary>
internal abstract class StateBuffers
{
    /// <summary>Whether the two buffers are distinct (some graph of the stream writes the state).</summary>
    public abstract bool Swapped { get; }

    /// <summary>Buffers for <paramref name="state"/>, distinct when <paramref name="swapped"/>.</summary>
    public static StateBuffers For(CarriedState state, bool swapped) => state.Dtype switch
    {
        StateDtype.Float32 => new StateBuffers<float>(state, swapped, state.Fill switch { StateFill.Ones => 1f, StateFill.NaN => float.NaN, _ => 0f }),
        StateDtype.Int64 => new StateBuffers<long>(state, swapped, state.Fill == StateFill.Ones ? 1L : 0L),
        _ => new StateBuffers<bool>(state, swapped, state.Fill == StateFill.Ones),
    };

    /// <summary>Both buffers back to the initial value.</summary>
    public abstract void Fill();

    /// <summary>Binds <paramref name="state"/>'s input (as a graph names it) to buffer <paramref name="parity"/> and its output to the other.</summary>
    public abstract void Bind(GraphBinding binding, CarriedState state, int parity);

    /// <summary>Copies buffer <paramref name="parity"/> into the other.</summary>
    public abstract void CarryOver(int parity);
}

/// <inheritdoc/>
internal sealed class StateBuffers<T> : StateBuffers
    where T : unmanaged
{
    private readonly long[] _shape;
    private readonly T _initial;

    public StateBuffers(CarriedState state, bool swapped, T initial)
    {
        _shape = state.LongShape;
        _initial = initial;
        var first = new T[state.Count];
        Values = [first, swapped ? new T[state.Count] : first];
        Fill();
    }

    /// <summary>The two buffers; <see cref="StreamState.Parity"/> says which is current.</summary>
    public T[][] Values { get; }

    public override bool Swapped => !ReferenceEquals(Values[0], Values[1]);

    public override void Fill()
    {
        Values[0].AsSpan().Fill(_initial);
        Values[1].AsSpan().Fill(_initial);
    }

    public override void Bind(GraphBinding binding, CarriedState state, int parity)
    {
        if (state.Input is not null)
            binding.Input(state.Input, Values[parity].AsMemory(), _shape);
        if (state.Output is not null)
            binding.Output(state.Output, Values[parity ^ 1].AsMemory(), _shape);
    }

    public override void CarryOver(int parity) => Values[parity].CopyTo(Values[parity ^ 1], 0);
}
