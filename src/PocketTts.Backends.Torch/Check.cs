using PocketTts.Tensors;

namespace PocketTts.Backends.Torch;

/// <summary>
/// Argument checks of <see cref="TorchTensorBackend"/>. Messages name the operation, the argument and both shapes;
/// they are built only when a check fails.
/// </summary>
internal static class Check
{
    public static TorchTensor Tensor(ITensor tensor, string op, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        return tensor as TorchTensor
            ?? throw new ArgumentException($"{op}: {name} is a {tensor.GetType().Name}, not a tensor of the torch backend.", name);
    }

    /// <summary>t is [<paramref name="rows"/>, <paramref name="columns"/>].</summary>
    public static void Matrix(string op, string name, TorchTensor t, int rows, int columns)
    {
        TensorShape s = t.Shape;
        if (s.Rank != 2 || s[0] != rows || s[1] != columns)
            throw new ArgumentException($"{op}: {name} has shape {s}, expected [{rows}, {columns}].", name);
    }

    /// <summary>t is [any, <paramref name="columns"/>]; the labels name the axes in the message.</summary>
    public static void Columns(string op, string name, TorchTensor t, int columns, string rowsLabel, string columnsLabel)
    {
        TensorShape s = t.Shape;
        if (s.Rank != 2 || s[1] != columns)
            throw new ArgumentException($"{op}: {name} has shape {s}, expected [{rowsLabel}, {columnsLabel}={columns}].", name);
    }

    /// <summary>t is [<paramref name="length"/>].</summary>
    public static void Vector(string op, string name, TorchTensor t, int length)
    {
        TensorShape s = t.Shape;
        if (s.Rank != 1 || s[0] != length)
            throw new ArgumentException($"{op}: {name} has shape {s}, expected [{length}].", name);
    }

    /// <summary>t has the shape of <paramref name="other"/>.</summary>
    public static void SameShape(string op, string name, TorchTensor t, string otherName, TorchTensor other)
    {
        if (!t.Shape.Equals(other.Shape))
            throw new ArgumentException($"{op}: {name} has shape {t.Shape}, expected {other.Shape} (the shape of {otherName}).", name);
    }

    public static void MinRank(string op, string name, TorchTensor t, int rank)
    {
        if (t.Shape.Rank < rank)
            throw new ArgumentException($"{op}: {name} has shape {t.Shape}, expected at least {rank} dimension(s).", name);
    }

    public static void Distinct(string op, string name, TorchTensor t, string otherName, TorchTensor other)
    {
        if (ReferenceEquals(t, other))
            throw new ArgumentException($"{op}: {name} and {otherName} must be different tensors.", name);
    }

    public static void Count(string op, string name, int actual, int expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{op}: {name} has {actual} values, expected {expected}.", name);
    }
}
