using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed.Kernels;

namespace PocketTts.Benchmarks;

/// <summary>
/// An activation over a 4-frame chunk of the Mimi encoder's first layers (64 channels × 7680 samples, 1.9 MB), on
/// one thread, at each width: <see cref="Scalar"/> is what the 128-bit path (ARM64 NEON, WebAssembly SIMD, x64
/// with <c>DOTNET_EnableAVX2=0</c>) ran before the element-wise kernels had 128-bit bodies (issue #19),
/// <see cref="Vector128"/> that body, <see cref="Widest"/> what <see cref="Elementwise.Map{TOp}(TOp, ReadOnlySpan{float}, Span{float})"/>
/// picks here (256 bits with AVX2).
/// </summary>
public class ElementwiseBenchmarks
{
    private float[] _x = null!;
    private float[] _y = null!;

    /// <summary>The activation.</summary>
    [Params("ELU", "GELU", "SiLU")]
    public string Activation { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _x = Inputs.Uniform(64 * 7680, 3);
        _y = new float[_x.Length];
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => Run(new ScalarMap());

    [Benchmark]
    public void Vector128() => Run(new WidthMap<Lanes128, Vector128<float>>());

    [Benchmark]
    public void Widest() => Run(new DispatchedMap());

    private void Run<TMap>(TMap map)
        where TMap : struct, IMap
    {
        switch (Activation)
        {
            case "ELU":
                map.Run(new EluOperator(), _x, _y);
                break;
            case "GELU":
                map.Run(new GeluOperator(), _x, _y);
                break;
            default:
                map.Run(new SiluOperator(), _x, _y);
                break;
        }
    }

    private interface IMap
    {
        void Run<TOp>(TOp op, float[] x, float[] y)
            where TOp : struct, IUnaryOperator;
    }

    private readonly struct ScalarMap : IMap
    {
        public void Run<TOp>(TOp op, float[] x, float[] y)
            where TOp : struct, IUnaryOperator
        {
            for (int i = 0; i < x.Length; i++)
                y[i] = op.Invoke(x[i]);
        }
    }

    private readonly struct WidthMap<TLanes, TVector> : IMap
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        public void Run<TOp>(TOp op, float[] x, float[] y)
            where TOp : struct, IUnaryOperator => Elementwise.Map<TOp, TLanes, TVector>(op, x, y);
    }

    private readonly struct DispatchedMap : IMap
    {
        public void Run<TOp>(TOp op, float[] x, float[] y)
            where TOp : struct, IUnaryOperator => Elementwise.Map(op, x, y);
    }
}
