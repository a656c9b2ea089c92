using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Text.Json.Serialization;

namespace PocketTts.Host.Bench;

/// <summary>
/// This machine's limits as bench measures them, at the vector width a backend's kernels use and on the threads bench
/// uses: the multiply-add throughput of independent accumulator chains (a roofline peak: no loads, no dependencies
/// the pipelines must wait for) and the read bandwidth of a sum over a buffer far larger than any cache.
/// </summary>
/// <param name="VectorBits">The width measured: 512, 256, 128, or 32 (scalar).</param>
/// <param name="Threads">Threads that ran at once, one per core bench uses.</param>
/// <param name="FmaGflops">Multiply-add peak in GFLOP/s (a multiply-add is two floating-point operations).</param>
/// <param name="ReadGBytesPerSecond">Read bandwidth in GB/s (10⁹ bytes).</param>
/// <param name="ReadBufferMb">Size of the buffer read, MB (10⁶ bytes).</param>
internal sealed record MachinePeak(
    [property: JsonPropertyName("vector_bits")] int VectorBits,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("fma_gflops")] double FmaGflops,
    [property: JsonPropertyName("read_gb_per_s")] double ReadGBytesPerSecond,
    [property: JsonPropertyName("read_buffer_mb")] double ReadBufferMb)
{
    // Enough independent chains to hide the multiply-add latency on every current core (4 cycles × 2 pipes = 8),
    // few enough to stay in registers (16 on AVX2) next to the two constants.
    private const int Chains = 12;

    // 512 MB is far beyond any L3; a small machine gets a quarter of its memory instead.
    private const long MaxReadBytes = 512L << 20;

    private static float _sink;

    /// <summary>Measures both peaks, each for about <paramref name="each"/>.</summary>
    /// <param name="vectorBits">
    /// The width a backend's kernels use (<see cref="Backends.CpuKernels.VectorBits"/>), or null for the widest this
    /// process accelerates (a backend that picks its own kernels); a width not accelerated falls to the next one down.
    /// </param>
    /// <param name="threads">Threads to run at once, 0 for one per core.</param>
    /// <param name="each">How long each measurement runs.</param>
    public static MachinePeak Measure(int? vectorBits, int threads, TimeSpan each)
    {
        int count = threads == 0 ? Environment.ProcessorCount : threads;
        // The memory the GC may use (physical or the container's limit); 0 before any collection has run.
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long bytes = (available > 0 ? Math.Min(MaxReadBytes, available / 4) : MaxReadBytes) / (count * 256L) * (count * 256L);
        return (vectorBits ?? 512) switch
        {
            >= 512 when Vector512.IsHardwareAccelerated => Measure<Lanes512, Vector512<float>>(count, each, bytes),
            >= 256 when Vector256.IsHardwareAccelerated => Measure<Lanes256, Vector256<float>>(count, each, bytes),
            >= 128 when Vector128.IsHardwareAccelerated => Measure<Lanes128, Vector128<float>>(count, each, bytes),
            _ => Measure<Scalar, float>(count, each, bytes),
        };
    }

    private static MachinePeak Measure<TLanes, TVector>(int threads, TimeSpan each, long bytes)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        double multiplyAdds = PerSecond(threads, each, (_, deadline) => MultiplyAdds<TLanes, TVector>(deadline));
        double readBytes;
        unsafe
        {
            float* buffer = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
            try
            {
                long floats = bytes / sizeof(float), slice = floats / threads;
                // Every thread writes its own slice first: the pages exist, and on a NUMA machine sit near the thread.
                PerSecond(threads, TimeSpan.Zero, (thread, _) =>
                {
                    new Span<float>(buffer + thread * slice, checked((int)slice)).Fill(1f);
                    return 0;
                });
                readBytes = PerSecond(threads, each, (thread, deadline) => Read<TLanes, TVector>(ref buffer[thread * slice], slice, deadline));
            }
            finally
            {
                NativeMemory.AlignedFree(buffer);
            }
        }
        return new MachinePeak(TLanes.Bits, threads, 2 * multiplyAdds / 1e9, readBytes / 1e9, bytes / 1e6);
    }

    /// <summary>Runs <paramref name="work"/> (thread index, deadline timestamp → units done) on every thread at once; the sum of their rates.</summary>
    private static double PerSecond(int threads, TimeSpan duration, Func<int, long, long> work)
    {
        var rates = new double[threads];
        using var barrier = new Barrier(threads);
        Thread[] workers =
        [
            .. Enumerable.Range(0, threads).Select(i => new Thread(() =>
            {
                barrier.SignalAndWait();
                long start = Stopwatch.GetTimestamp();
                long units = work(i, start + (long)(duration.TotalSeconds * Stopwatch.Frequency));
                rates[i] = units / Stopwatch.GetElapsedTime(start).TotalSeconds;
            })),
        ];
        foreach (Thread worker in workers)
            worker.Start();
        foreach (Thread worker in workers)
            worker.Join();
        return rates.Sum();
    }

    /// <summary>Multiply-adds done by <see cref="Chains"/> independent chains until <paramref name="deadline"/>.</summary>
    private static long MultiplyAdds<TLanes, TVector>(long deadline)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        const int Rounds = 1 << 14;
        TVector sum = TLanes.Create(0f);
        long rounds = 0;
        do
        {
            sum = TLanes.Add(sum, ChainRounds<TLanes, TVector>(Rounds));
            rounds += Rounds;
        }
        while (Stopwatch.GetTimestamp() < deadline);
        _sink = TLanes.Sum(sum);
        return rounds * Chains * (TLanes.Bits / 32);
    }

    /// <summary>
    /// <paramref name="rounds"/> rounds of <see cref="Chains"/> multiply-adds, then their sum. A loop of its own with no
    /// call inside: around a call the JIT keeps vectors in memory, and every multiply-add would wait on a store.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static TVector ChainRounds<TLanes, TVector>(int rounds)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        // x → 0.999·x + 0.001 stays near 1: no overflow, no subnormals to slow it down.
        TVector m = TLanes.Create(0.999f), c = TLanes.Create(0.001f);
        TVector a0 = TLanes.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int r = 0; r < rounds; r++)
        {
            a0 = TLanes.MultiplyAdd(a0, m, c);
            a1 = TLanes.MultiplyAdd(a1, m, c);
            a2 = TLanes.MultiplyAdd(a2, m, c);
            a3 = TLanes.MultiplyAdd(a3, m, c);
            a4 = TLanes.MultiplyAdd(a4, m, c);
            a5 = TLanes.MultiplyAdd(a5, m, c);
            a6 = TLanes.MultiplyAdd(a6, m, c);
            a7 = TLanes.MultiplyAdd(a7, m, c);
            a8 = TLanes.MultiplyAdd(a8, m, c);
            a9 = TLanes.MultiplyAdd(a9, m, c);
            a10 = TLanes.MultiplyAdd(a10, m, c);
            a11 = TLanes.MultiplyAdd(a11, m, c);
        }
        TVector sum = TLanes.Add(TLanes.Add(TLanes.Add(a0, a1), TLanes.Add(a2, a3)), TLanes.Add(TLanes.Add(a4, a5), TLanes.Add(a6, a7)));
        return TLanes.Add(sum, TLanes.Add(TLanes.Add(a8, a9), TLanes.Add(a10, a11)));
    }

    /// <summary>Bytes read by whole passes over <paramref name="length"/> floats until <paramref name="deadline"/>.</summary>
    private static long Read<TLanes, TVector>(ref float start, long length, long deadline)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        nuint end = (nuint)(length - length % (4 * (TLanes.Bits / 32)));
        TVector sum = TLanes.Create(0f);
        long passes = 0;
        do
        {
            sum = TLanes.Add(sum, Pass<TLanes, TVector>(ref start, end));
            passes++;
        }
        while (Stopwatch.GetTimestamp() < deadline);
        _sink = TLanes.Sum(sum);
        return passes * (long)end * sizeof(float);
    }

    /// <summary>The sum of <paramref name="end"/> floats, in a loop with no call inside (see <see cref="ChainRounds"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static TVector Pass<TLanes, TVector>(ref float start, nuint end)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        nuint lanes = (nuint)(TLanes.Bits / 32);
        TVector s0 = TLanes.Create(0f), s1 = s0, s2 = s0, s3 = s0;
        // Four sums in flight, so the adds never wait on each other and only the loads set the pace.
        for (nuint i = 0; i < end; i += 4 * lanes)
        {
            s0 = TLanes.Add(s0, TLanes.Load(ref start, i));
            s1 = TLanes.Add(s1, TLanes.Load(ref start, i + lanes));
            s2 = TLanes.Add(s2, TLanes.Load(ref start, i + 2 * lanes));
            s3 = TLanes.Add(s3, TLanes.Load(ref start, i + 3 * lanes));
        }
        return TLanes.Add(TLanes.Add(s0, s1), TLanes.Add(s2, s3));
    }

    /// <summary>The operations of one vector width, so that one loop serves every width.</summary>
    private interface ILanes<TVector>
        where TVector : struct
    {
        static abstract int Bits { get; }

        static abstract TVector Create(float value);

        /// <summary>a·b + c, fused exactly where the managed kernels fuse it at this width.</summary>
        static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

        static abstract TVector Add(TVector a, TVector b);

        static abstract TVector Load(ref float source, nuint index);

        static abstract float Sum(TVector value);
    }

    private readonly struct Lanes512 : ILanes<Vector512<float>>
    {
        public static int Bits => 512;

        public static Vector512<float> Create(float value) => Vector512.Create(value);

        public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

        public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

        public static Vector512<float> Load(ref float source, nuint index) => Vector512.LoadUnsafe(ref source, index);

        public static float Sum(Vector512<float> value) => Vector512.Sum(value);
    }

    private readonly struct Lanes256 : ILanes<Vector256<float>>
    {
        public static int Bits => 256;

        public static Vector256<float> Create(float value) => Vector256.Create(value);

        public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
            Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

        public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

        public static Vector256<float> Load(ref float source, nuint index) => Vector256.LoadUnsafe(ref source, index);

        public static float Sum(Vector256<float> value) => Vector256.Sum(value);
    }

    private readonly struct Lanes128 : ILanes<Vector128<float>>
    {
        public static int Bits => 128;

        public static Vector128<float> Create(float value) => Vector128.Create(value);

        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
            Fma.IsSupported || AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : a * b + c;

        public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

        public static Vector128<float> Load(ref float source, nuint index) => Vector128.LoadUnsafe(ref source, index);

        public static float Sum(Vector128<float> value) => Vector128.Sum(value);
    }

    private readonly struct Scalar : ILanes<float>
    {
        public static int Bits => 32;

        public static float Create(float value) => value;

        public static float MultiplyAdd(float a, float b, float c) =>
            Fma.IsSupported || AdvSimd.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

        public static float Add(float a, float b) => a + b;

        public static float Load(ref float source, nuint index) => Unsafe.Add(ref source, index);

        public static float Sum(float value) => value;
    }
}
