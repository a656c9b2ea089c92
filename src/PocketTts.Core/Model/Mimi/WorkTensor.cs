using PocketTts.Tensors;

namespace PocketTts.Model.Mimi;

/// <summary>
/// Work buffers of streaming states. Backend operations want destinations of exact shape, so a state sizes its
/// buffers for the call length it expects and resizes them only when a call of another length arrives: the
/// per-frame path, whose length never changes, allocates nothing.
/// </summary>
internal static class WorkTensor
{
    /// <summary>Returns <paramref name="current"/> when it is [rows, columns]; otherwise disposes it and allocates one that is.</summary>
    public static ITensor Ensure(ITensorBackend backend, ITensor? current, int rows, int columns)
    {
        if (current is not null && current.Shape.Rank == 2 && current.Shape[0] == rows && current.Shape[1] == columns)
            return current;
        current?.Dispose();
        return backend.Allocate(new TensorShape(rows, columns));
    }

    /// <summary>Throws unless <paramref name="x"/> is a [channels, time] signal with <paramref name="channels"/> channels.</summary>
    /// <returns>The signal's length.</returns>
    public static int SignalLength(ITensor x, int channels, string what)
    {
        if (x.Shape.Rank != 2 || x.Shape[0] != channels)
            throw new ArgumentException($"{what}: expected a signal [{channels}, time], got {x.Shape}.", nameof(x));
        return x.Shape[1];
    }

    /// <summary>Throws unless <paramref name="y"/> has exactly the shape [rows, columns].</summary>
    public static void RequireShape(ITensor y, int rows, int columns, string what)
    {
        if (y.Shape.Rank != 2 || y.Shape[0] != rows || y.Shape[1] != columns)
            throw new ArgumentException($"{what}: expected a destination [{rows}, {columns}], got {y.Shape}.", nameof(y));
    }
}
