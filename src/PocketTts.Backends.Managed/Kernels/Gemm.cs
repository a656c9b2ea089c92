using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// y = x·Wᵀ + b for float weights: x [rows, K], W in panels of <see cref="PanelWidth"/> outputs
/// (<see cref="PackedLinear.Weight"/>, [panels][K][16]), y [rows, N]. Every output is one chain of multiply-adds
/// over k = 0, 1, …, K − 1 in that order, then + b: the scalar loop's order. So an output is bit-identical whichever
/// micro-kernel, row count, thread or vector width computed it: a FlowLM step equals the same row of a prompt pass,
/// and the 128-bit and scalar paths equal the 256-bit one.
/// </summary>
/// <remarks>
/// <para>Many rows (prompt passes, the Mimi decoder's 16 steps a frame): an outer-product micro-kernel. A tile of
/// <see cref="TileRows"/> rows × two vectors of outputs (16 outputs at 256 bits) keeps 12 accumulators in
/// registers; each k loads two weight vectors and broadcasts one input per row, 12 multiply-adds for 8 loads, and
/// 12 independent chains hide the multiply-add latency. The previous dot-product form (4 rows × 2 outputs, lanes
/// splitting K) needed a horizontal sum per output and reached 40–45% of the FMA peak on AVX2. A panel (64 KB at
/// K = 1024, 256 KB at 4096) is one contiguous run that stays in the L2 cache while every tile of rows reads it.
/// The tiles split the rows evenly, 6, 5 or 4 rows each (Mimi's 16 rows a frame: 5 + 5 + 6, where tiles of 6
/// computed 18 rows and dropped two); a tile of fewer than 4 rows repeats its last row and drops the copies. The model's weights do not fit any cache,
/// so the first tile of a panel would wait on memory: each tile prefetches its share of the next panel's lines, one
/// per k, while it computes (x86; 40 rows × 1024→1024 from memory 55–68 → 75–82 GFLOP/s on a Zen 3 core, the
/// Mimi decoder's 16 × 512→2048 45 → 53–56).</para>
/// <para>One row (a FlowLM step) is bound by reading W: a row kernel runs eight chains over four runs of weights
/// (four panels at 256 bits) to keep enough loads in flight.</para>
/// </remarks>
internal static class Gemm
{
    /// <summary>Outputs per panel of the packed weights.</summary>
    public const int PanelWidth = 16;

    private const int TileRows = 6;

    /// <summary>Panels per work item of the single row.</summary>
    private const int RowPanels = 4;

    /// <summary>Runs at the widest vector width accelerated here: 256, 128 bits, else scalar.</summary>
    public static void Run(float[] x, int rows, PackedLinear w, float[] y, WorkerPool pool)
    {
        if (Vector256.IsHardwareAccelerated)
            Run<Lanes256, Vector256<float>>(x, rows, w, y, pool);
        else if (Vector128.IsHardwareAccelerated)
            Run<Lanes128, Vector128<float>>(x, rows, w, y, pool);
        else
            Run<Lanes32, float>(x, rows, w, y, pool);
    }

    /// <summary>Runs at the width of <typeparamref name="TLanes"/> (tests compare the widths).</summary>
    public static void Run<TLanes, TVector>(float[] x, int rows, PackedLinear w, float[] y, WorkerPool pool)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        long work = (long)rows * w.InFeatures * w.OutFeatures;
        if (rows == 1)
        {
            var step = new RowJob<TLanes, TVector>(x, w, y);
            pool.For((w.Panels + RowPanels - 1) / RowPanels, ref step, work);
        }
        else
        {
            var job = new TileJob<TLanes, TVector>(x, rows, w, y);
            pool.For(w.Panels, ref job, work);
        }
    }

    /// <summary>Work items are panels; each runs every tile of rows over its 16 outputs.</summary>
    private readonly struct TileJob<TLanes, TVector>(float[] x, int rows, PackedLinear w, float[] y) : IParallelJob
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            int k = w.InFeatures, n = w.OutFeatures, columns = 2 * TLanes.Count;
            Span<float> partial = stackalloc float[TileRows * PanelWidth];
            int tiles = (rows + TileRows - 1) / TileRows, share = (k + tiles - 1) / tiles;
            for (int panel = begin; panel < end; panel++)
            {
                int o0 = panel * PanelWidth, width = Math.Min(PanelWidth, n - o0);
                ref float weights = ref w.Weight[panel * PanelWidth * k];
                ref float bias = ref w.PanelBias[o0];
                bool hasNext = panel + 1 < w.Panels;
                for (int tile = 0; tile < tiles; tile++)
                {
                    // Tiles split the rows evenly (16 rows: 5 + 5 + 6, not 6 + 6 + 4 computed as 6).
                    int r = tile * rows / tiles, valid = (tile + 1) * rows / tiles - r, last = r + valid - 1;
                    // This tile's share of the next panel's k rows (one 64-byte line each), fetched while it computes.
                    int ahead = tile * share, lines = hasNext ? Math.Clamp(k - ahead, 0, share) : 0;
                    ref float next = ref lines > 0 ? ref Unsafe.Add(ref weights, (k + ahead) * PanelWidth) : ref weights;
                    // A partial panel (the last, N not a multiple of 16) is written to a scratch first.
                    bool whole = width == PanelWidth;
                    ref float d = ref whole ? ref y[r * n + o0] : ref MemoryMarshal.GetReference(partial);
                    int stride = whole ? n : PanelWidth;
                    for (int c = 0; c < PanelWidth; c += columns)
                    {
                        ref float x0 = ref x[r * k];
                        ref float x1 = ref x[Math.Min(r + 1, last) * k], x2 = ref x[Math.Min(r + 2, last) * k];
                        ref float x3 = ref x[Math.Min(r + 3, last) * k], x4 = ref x[Math.Min(r + 4, last) * k];
                        ref float x5 = ref x[Math.Min(r + 5, last) * k];
                        ref float wc = ref Unsafe.Add(ref weights, c), bc = ref Unsafe.Add(ref bias, c), dc = ref Unsafe.Add(ref d, c);
                        int fetch = c == 0 ? lines : 0;
                        if (valid == 6)
                            Tile<TLanes, TVector, Six>(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref wc, k, ref bc, ref dc, stride, valid, ref next, fetch);
                        else if (valid == 5)
                            Tile<TLanes, TVector, Five>(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref wc, k, ref bc, ref dc, stride, valid, ref next, fetch);
                        else
                            Tile<TLanes, TVector, Four>(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref wc, k, ref bc, ref dc, stride, valid, ref next, fetch);
                    }
                    if (!whole)
                    {
                        for (int rr = 0; rr < valid; rr++)
                            partial.Slice(rr * PanelWidth, width).CopyTo(y.AsSpan((r + rr) * n + o0, width));
                    }
                }
            }
        }
    }

    /// <summary>
    /// d[rr·stride + j] = Σₖ x_rr[k]·panel[k·16 + j] + bias[j] for the tile's rows rr &lt; <paramref name="valid"/> and
    /// its 2·Count columns j, each sum one chain in increasing k. Rows past <typeparamref name="TRows"/> are not
    /// computed; rows of it past <paramref name="valid"/> (repeats of the last row) are computed and dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TLanes, TVector, TRows>(
        ref float x0, ref float x1, ref float x2, ref float x3, ref float x4, ref float x5,
        ref float panel, int k, ref float bias, ref float d, int stride, int valid, ref float next, int lines)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
        where TRows : struct, ITileSize
    {
        nuint second = (nuint)TLanes.Count;
        TVector a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        TVector a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        ref float p = ref panel;
        for (int i = 0; i < k; i++)
        {
            if (i < lines)
                Prefetch(ref Unsafe.Add(ref next, i * PanelWidth));
            TVector w0 = TLanes.Load(ref p, 0), w1 = TLanes.Load(ref p, second);
            TVector u = TLanes.Broadcast(Unsafe.Add(ref x0, i));
            a00 = TLanes.MultiplyAdd(w0, u, a00);
            a01 = TLanes.MultiplyAdd(w1, u, a01);
            u = TLanes.Broadcast(Unsafe.Add(ref x1, i));
            a10 = TLanes.MultiplyAdd(w0, u, a10);
            a11 = TLanes.MultiplyAdd(w1, u, a11);
            u = TLanes.Broadcast(Unsafe.Add(ref x2, i));
            a20 = TLanes.MultiplyAdd(w0, u, a20);
            a21 = TLanes.MultiplyAdd(w1, u, a21);
            u = TLanes.Broadcast(Unsafe.Add(ref x3, i));
            a30 = TLanes.MultiplyAdd(w0, u, a30);
            a31 = TLanes.MultiplyAdd(w1, u, a31);
            if (TRows.Value > 4)
            {
                u = TLanes.Broadcast(Unsafe.Add(ref x4, i));
                a40 = TLanes.MultiplyAdd(w0, u, a40);
                a41 = TLanes.MultiplyAdd(w1, u, a41);
            }
            if (TRows.Value > 5)
            {
                u = TLanes.Broadcast(Unsafe.Add(ref x5, i));
                a50 = TLanes.MultiplyAdd(w0, u, a50);
                a51 = TLanes.MultiplyAdd(w1, u, a51);
            }
            p = ref Unsafe.Add(ref p, PanelWidth);
        }
        TVector b0 = TLanes.Load(ref bias, 0), b1 = TLanes.Load(ref bias, second);
        Store<TLanes, TVector>(ref d, second, TLanes.Add(a00, b0), TLanes.Add(a01, b1));
        if (valid > 1)
            Store<TLanes, TVector>(ref Unsafe.Add(ref d, stride), second, TLanes.Add(a10, b0), TLanes.Add(a11, b1));
        if (valid > 2)
            Store<TLanes, TVector>(ref Unsafe.Add(ref d, 2 * stride), second, TLanes.Add(a20, b0), TLanes.Add(a21, b1));
        if (valid > 3)
            Store<TLanes, TVector>(ref Unsafe.Add(ref d, 3 * stride), second, TLanes.Add(a30, b0), TLanes.Add(a31, b1));
        if (TRows.Value > 4 && valid > 4)
            Store<TLanes, TVector>(ref Unsafe.Add(ref d, 4 * stride), second, TLanes.Add(a40, b0), TLanes.Add(a41, b1));
        if (TRows.Value > 5 && valid > 5)
            Store<TLanes, TVector>(ref Unsafe.Add(ref d, 5 * stride), second, TLanes.Add(a50, b0), TLanes.Add(a51, b1));
    }

    /// <summary>
    /// Asks for the cache line at <paramref name="address"/> (x86; elsewhere nothing). The weights live on the pinned
    /// object heap (<see cref="WeightArrays"/>), so the address stays valid.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref float address)
    {
        if (Sse.IsSupported)
            Sse.Prefetch0(Unsafe.AsPointer(ref address));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TLanes, TVector>(ref float d, nuint second, TVector v0, TVector v1)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        TLanes.Store(v0, ref d, 0);
        TLanes.Store(v1, ref d, second);
    }

    /// <summary>Work items are four panels (64 outputs) of the single row.</summary>
    private readonly struct RowJob<TLanes, TVector>(float[] x, PackedLinear w, float[] y) : IParallelJob
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            int k = w.InFeatures, n = w.OutFeatures, run = 2 * TLanes.Count;
            // [0, 64): a partial item's outputs; [64, 80): where a run computed twice (to fill the kernel's four) stores its copy.
            Span<float> scratch = stackalloc float[RowPanels * PanelWidth + PanelWidth];
            ref float unused = ref scratch[RowPanels * PanelWidth];
            for (int item = begin; item < end; item++)
            {
                int first = RowPanels * item, o0 = first * PanelWidth;
                int columns = Math.Min(RowPanels, w.Panels - first) * PanelWidth, width = Math.Min(columns, n - o0);
                bool whole = width == columns;
                ref float d = ref whole ? ref y[o0] : ref MemoryMarshal.GetReference(scratch);
                for (int c = 0; c < columns; c += 4 * run)
                {
                    // Runs past the item's columns repeat its first run and store to the unused scratch.
                    int c1 = c + run < columns ? c + run : c, c2 = c + 2 * run < columns ? c + 2 * run : c, c3 = c + 3 * run < columns ? c + 3 * run : c;
                    Row<TLanes, TVector>(
                        ref x[0], k, ref Column(first, c, k), ref Column(first, c1, k), ref Column(first, c2, k), ref Column(first, c3, k),
                        ref w.PanelBias[o0 + c], ref w.PanelBias[o0 + c1], ref w.PanelBias[o0 + c2], ref w.PanelBias[o0 + c3],
                        ref Unsafe.Add(ref d, c), ref c1 != c ? ref Unsafe.Add(ref d, c1) : ref unused,
                        ref c2 != c ? ref Unsafe.Add(ref d, c2) : ref unused, ref c3 != c ? ref Unsafe.Add(ref d, c3) : ref unused);
                }
                if (!whole)
                    scratch[..width].CopyTo(y.AsSpan(o0, width));
            }
        }

        /// <summary>Where column c of the item that starts at panel <paramref name="first"/> begins.</summary>
        private ref float Column(int first, int c, int k) => ref w.Weight[((first + c / PanelWidth) * k * PanelWidth) + c % PanelWidth];
    }

    /// <summary>
    /// The single row against four runs of 2·Count columns each (a, b, c, e), eight chains in increasing k:
    /// da[j] = Σₖ x[k]·a[k·16 + j] + biasA[j], and likewise for the others.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TLanes, TVector>(
        ref float x, int k, ref float a, ref float b, ref float c, ref float e,
        ref float biasA, ref float biasB, ref float biasC, ref float biasE, ref float da, ref float db, ref float dc, ref float de)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        nuint second = (nuint)TLanes.Count;
        TVector a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default, e0 = default, e1 = default;
        for (int i = 0; i < k; i++)
        {
            TVector u = TLanes.Broadcast(Unsafe.Add(ref x, i));
            a0 = TLanes.MultiplyAdd(TLanes.Load(ref a, 0), u, a0);
            a1 = TLanes.MultiplyAdd(TLanes.Load(ref a, second), u, a1);
            b0 = TLanes.MultiplyAdd(TLanes.Load(ref b, 0), u, b0);
            b1 = TLanes.MultiplyAdd(TLanes.Load(ref b, second), u, b1);
            c0 = TLanes.MultiplyAdd(TLanes.Load(ref c, 0), u, c0);
            c1 = TLanes.MultiplyAdd(TLanes.Load(ref c, second), u, c1);
            e0 = TLanes.MultiplyAdd(TLanes.Load(ref e, 0), u, e0);
            e1 = TLanes.MultiplyAdd(TLanes.Load(ref e, second), u, e1);
            a = ref Unsafe.Add(ref a, PanelWidth);
            b = ref Unsafe.Add(ref b, PanelWidth);
            c = ref Unsafe.Add(ref c, PanelWidth);
            e = ref Unsafe.Add(ref e, PanelWidth);
        }
        Store<TLanes, TVector>(ref da, second, TLanes.Add(a0, TLanes.Load(ref biasA, 0)), TLanes.Add(a1, TLanes.Load(ref biasA, second)));
        Store<TLanes, TVector>(ref db, second, TLanes.Add(b0, TLanes.Load(ref biasB, 0)), TLanes.Add(b1, TLanes.Load(ref biasB, second)));
        Store<TLanes, TVector>(ref dc, second, TLanes.Add(c0, TLanes.Load(ref biasC, 0)), TLanes.Add(c1, TLanes.Load(ref biasC, second)));
        Store<TLanes, TVector>(ref de, second, TLanes.Add(e0, TLanes.Load(ref biasE, 0)), TLanes.Add(e1, TLanes.Load(ref biasE, second)));
    }
}
