namespace PocketTts.Generation;

/// <summary>
/// Seeded normal noise: xoshiro256** uniform bits turned into normals by the Marsaglia polar method, with
/// truncation by rejection. A seed reproduces a run bit for bit on any machine; it cannot reproduce PyTorch's
/// generator, which is why parity tests inject recorded noise instead.
/// </summary>
public sealed class GaussianNoise : INoiseSource
{
    private ulong _s0, _s1, _s2, _s3;
    private float _spare;
    private bool _hasSpare;

    /// <summary>The noise of <paramref name="seed"/>, or of a random seed when it is null (a generation without a seed).</summary>
    internal static GaussianNoise ForSeed(int? seed) => new(seed ?? Random.Shared.Next());

    /// <summary>Creates a generator from a seed.</summary>
    public GaussianNoise(int seed)
    {
        // SplitMix64 spreads the seed over the 256-bit state, as the xoshiro authors recommend.
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <inheritdoc/>
    public void Fill(Span<float> noise, float std, float? clamp)
    {
        for (int i = 0; i < noise.Length; i++)
        {
            float z;
            do
                z = NextStandardNormal();
            while (clamp is { } c && MathF.Abs(z * std) > c);
            noise[i] = z * std;
        }
    }

    private float NextStandardNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = (float)(v * factor);
        _hasSpare = true;
        return (float)(u * factor);
    }

    private double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    private ulong Next()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
