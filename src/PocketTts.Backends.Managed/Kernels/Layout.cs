namespace PocketTts.Backends.Managed.Kernels;

/// <summary>Moves values between layouts: transposition (Mimi's [channels, time] ↔ [time, channels]) and gathers.</summary>
internal static class Layout
{
    private const int Tile = 16;

    /// <summary>y[j, i] = x[i, j] for x [a, b], in 16×16 tiles so both sides stay in cache.</summary>
    public static void Transpose(ReadOnlySpan<float> x, int a, int b, Span<float> y)
    {
        for (int i0 = 0; i0 < a; i0 += Tile)
        {
            int i1 = Math.Min(i0 + Tile, a);
            for (int j0 = 0; j0 < b; j0 += Tile)
            {
                int j1 = Math.Min(j0 + Tile, b);
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                        y[j * a + i] = x[i * b + j];
                }
            }
        }
    }

    /// <summary>y[r] = table[ids[r]] for rows of <paramref name="features"/> values; ids already validated.</summary>
    public static void Gather(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, int features, Span<float> y)
    {
        for (int r = 0; r < ids.Length; r++)
            table.Slice(ids[r] * features, features).CopyTo(y.Slice(r * features, features));
    }

    /// <summary>
    /// TimestepEmbedder of pocket_tts/modules/mlp.py: y[r] = cat(cos(t[r]·f), sin(t[r]·f)), the argument rounded to
    /// float32 as in the reference.
    /// </summary>
    public static void TimestepEmbedding(ReadOnlySpan<float> t, ReadOnlySpan<float> frequencies, Span<float> y)
    {
        int half = frequencies.Length;
        for (int r = 0; r < t.Length; r++)
        {
            Span<float> row = y.Slice(r * 2 * half, 2 * half);
            for (int i = 0; i < half; i++)
            {
                float angle = t[r] * frequencies[i];
                row[i] = MathF.Cos(angle);
                row[half + i] = MathF.Sin(angle);
            }
        }
    }
}
