namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// A tile dimension fixed when a kernel is compiled: a generic kernel instantiated over one of these has the bound
/// folded by the JIT, so the accumulators, loads and stores it does not use vanish (the rows of a GEMM tile, the
/// vectors of samples of a convolution tile, the samples of a short convolution's tile).
/// </summary>
internal interface ITileSize
{
    static abstract int Value { get; }
}

internal readonly struct One : ITileSize
{
    public static int Value => 1;
}

internal readonly struct Two : ITileSize
{
    public static int Value => 2;
}

internal readonly struct Three : ITileSize
{
    public static int Value => 3;
}

internal readonly struct Four : ITileSize
{
    public static int Value => 4;
}

internal readonly struct Five : ITileSize
{
    public static int Value => 5;
}

internal readonly struct Six : ITileSize
{
    public static int Value => 6;
}
