using PocketTts.Tensors;

namespace PocketTts.Model.Mimi;

/// <summary>
/// A layer of Mimi's streaming signal path (reference: <c>StatefulModule</c> in
/// <c>pocket_tts/modules/stateful_module.py</c>): [InChannels, T] → [OutChannels, OutputLength(T)], carrying what
/// it needs of the past in a state the caller owns. A whole signal is one call on a fresh state; the same signal
/// cut into chunks gives the same output (up to float rounding), chunk by chunk. Layers hold only weights (disposing
/// a layer releases them) and may serve many streams at once, each with its own state.
/// </summary>
internal interface IStreamingLayer : IDisposable
{
    /// <summary>Channels of the input signal.</summary>
    int InChannels { get; }

    /// <summary>Channels of the output signal.</summary>
    int OutChannels { get; }

    /// <summary>Output length for an input of <paramref name="inputLength"/> steps.</summary>
    int OutputLength(int inputLength);

    /// <summary>A fresh state with work buffers sized for calls of <paramref name="steps"/> input steps.</summary>
    IStreamingState CreateState(int steps);

    /// <summary>x [InChannels, T] → y [OutChannels, OutputLength(T)]; advances the state by T steps.</summary>
    void Forward(ITensor x, ITensor y, IStreamingState state);
}

/// <summary>The per-stream state of an <see cref="IStreamingLayer"/>. One stream at a time; not thread-safe.</summary>
internal interface IStreamingState : IDisposable
{
    /// <summary>Returns to the fresh state (zero history, time 0), keeping the buffers.</summary>
    void Reset();
}
