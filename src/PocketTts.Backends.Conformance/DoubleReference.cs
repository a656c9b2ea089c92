namespace PocketTts.Backends.Conformance;

/// <summary>
/// Naive float64 versions of the backend's operations, written from the PyTorch definitions. Each returns the
/// values and, where a sum is involved, the sum of absolute terms (the scale of float rounding errors). Public so that a
/// backend's own tests can check kernels below the <see cref="PocketTts.Tensors.ITensorBackend"/> surface the same way.
/// </summary>
public static class DoubleReference
{
    /// <summary>y = x·Wᵀ + b; x [rows, k], w [outFeatures, k].</summary>
    /// <returns>The values and the sum of absolute terms of each.</returns>
    public static (double[] Values, double[] Magnitude) Linear(float[] x, int rows, float[] w, int outFeatures, float[]? bias)
    {
        int k = w.Length / outFeatures;
        var y = new double[rows * outFeatures];
        var m = new double[y.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double s = bias?[o] ?? 0, a = Math.Abs(bias?[o] ?? 0);
                for (int i = 0; i < k; i++)
                {
                    s += (double)x[r * k + i] * w[o * k + i];
                    a += Math.Abs((double)x[r * k + i] * w[o * k + i]);
                }
                y[r * outFeatures + o] = s;
                m[r * outFeatures + o] = a;
            }
        }
        return (y, m);
    }

    /// <summary>nn.Conv1d without padding; x [inChannels, length], w [out, in/groups, k].</summary>
    /// <returns>The values [outChannels, outLength] and the sum of absolute terms of each.</returns>
    public static (double[] Values, double[] Magnitude) Conv1d(
        float[] x, int inChannels, int length, float[] w, float[]? bias, int outChannels, int kernel, int stride, int dilation, int groups)
    {
        int inPerGroup = inChannels / groups, outPerGroup = outChannels / groups;
        int effective = (kernel - 1) * dilation + 1;
        int outLength = length < effective ? 0 : (length - effective) / stride + 1;
        var y = new double[outChannels * outLength];
        var m = new double[y.Length];
        for (int o = 0; o < outChannels; o++)
        {
            int g = o / outPerGroup;
            for (int t = 0; t < outLength; t++)
            {
                double s = bias?[o] ?? 0, a = Math.Abs(s);
                for (int c = 0; c < inPerGroup; c++)
                {
                    for (int k = 0; k < kernel; k++)
                    {
                        double term = (double)w[(o * inPerGroup + c) * kernel + k] * x[(g * inPerGroup + c) * length + t * stride + k * dilation];
                        s += term;
                        a += Math.Abs(term);
                    }
                }
                y[o * outLength + t] = s;
                m[o * outLength + t] = a;
            }
        }
        return (y, m);
    }

    /// <summary>nn.ConvTranspose1d, full output; x [inChannels, length], w [in, out/groups, k].</summary>
    /// <returns>The values [outChannels, (length − 1)·stride + kernel] and the sum of absolute terms of each.</returns>
    public static (double[] Values, double[] Magnitude) ConvTranspose1d(
        float[] x, int inChannels, int length, float[] w, float[]? bias, int outChannels, int kernel, int stride, int groups)
    {
        int inPerGroup = inChannels / groups, outPerGroup = outChannels / groups;
        int outLength = length == 0 ? 0 : (length - 1) * stride + kernel;
        var y = new double[outChannels * outLength];
        var m = new double[y.Length];
        for (int o = 0; o < outChannels; o++)
        {
            for (int u = 0; u < outLength; u++)
            {
                y[o * outLength + u] = bias?[o] ?? 0;
                m[o * outLength + u] = Math.Abs(bias?[o] ?? 0);
            }
        }
        for (int c = 0; c < inChannels; c++)
        {
            int g = c / inPerGroup;
            for (int ol = 0; ol < outPerGroup; ol++)
            {
                int o = g * outPerGroup + ol;
                for (int t = 0; t < length; t++)
                {
                    for (int k = 0; k < kernel; k++)
                    {
                        double term = (double)x[c * length + t] * w[(c * outPerGroup + ol) * kernel + k];
                        y[o * outLength + t * stride + k] += term;
                        m[o * outLength + t * stride + k] += Math.Abs(term);
                    }
                }
            }
        }
        return (y, m);
    }

    /// <summary>
    /// Attention for query rows at absolute positions position + t over keys/values [positions, heads, d] stored
    /// at positions 0…; keys j visible when 0 ≤ p − j (and p − j &lt; window).
    /// </summary>
    /// <returns>y [rows, heads·d].</returns>
    public static double[] Attention(float[] q, int rows, float[] keys, float[] values, int heads, int d, int position, int? window)
    {
        var y = new double[rows * heads * d];
        double scale = 1 / Math.Sqrt(d);
        for (int t = 0; t < rows; t++)
        {
            int p = position + t;
            int first = window is int w ? Math.Max(0, p - w + 1) : 0;
            for (int h = 0; h < heads; h++)
            {
                var scores = new double[p - first + 1];
                for (int j = first; j <= p; j++)
                {
                    double s = 0;
                    for (int i = 0; i < d; i++)
                        s += (double)q[(t * heads + h) * d + i] * keys[(j * heads + h) * d + i];
                    scores[j - first] = s * scale;
                }
                double max = scores.Max(), sum = 0;
                for (int j = 0; j < scores.Length; j++)
                {
                    scores[j] = Math.Exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int j = first; j <= p; j++)
                {
                    for (int i = 0; i < d; i++)
                        y[(t * heads + h) * d + i] += scores[j - first] / sum * values[(j * heads + h) * d + i];
                }
            }
        }
        return y;
    }

    /// <summary>
    /// Normalisation over rows of <paramref name="features"/> values: nn.LayerNorm (biased variance, centred) or the
    /// flow net's variance norm (<paramref name="unbiased"/>, not <paramref name="centre"/>d), then · w + b.
    /// </summary>
    /// <returns>The values and the scale of their rounding errors.</returns>
    public static (double[] Values, double[] Magnitude) Norm(float[] x, int features, float[]? w, float[]? b, double eps, bool unbiased, bool centre)
    {
        var y = new double[x.Length];
        var m = new double[x.Length];
        for (int start = 0; start < x.Length; start += features)
        {
            double mean = 0;
            for (int i = 0; i < features; i++)
                mean += x[start + i];
            mean /= features;
            double var = 0;
            for (int i = 0; i < features; i++)
                var += (x[start + i] - mean) * (x[start + i] - mean);
            var /= unbiased ? features - 1 : features;
            double rstd = 1 / Math.Sqrt(var + eps);
            for (int i = 0; i < features; i++)
            {
                double v = centre ? x[start + i] - mean : x[start + i];
                y[start + i] = v * rstd * (w?[i] ?? 1) + (b?[i] ?? 0);
                // The mean and the deviation carry rounding errors relative to |x|, not to the centred value.
                m[start + i] = (Math.Abs(x[start + i]) + Math.Abs(mean)) * rstd * Math.Abs(w?[i] ?? 1) + Math.Abs(b?[i] ?? 0);
            }
        }
        return (y, m);
    }

    /// <summary>
    /// apply_rope of the reference on x [rows, heads·headDim]: frequencies and angles in float32 as PyTorch computes
    /// them, the rotation of each interleaved pair in float64.
    /// </summary>
    /// <returns>The values and the scale of their rounding errors (|re| + |im| of each pair).</returns>
    public static (double[] Values, double[] Magnitude) Rope(float[] x, int rows, int heads, int headDim, int position, float maxPeriod)
    {
        var y = new double[x.Length];
        var m = new double[x.Length];
        float step = (float)(-Math.Log(maxPeriod) * 2 / headDim);
        for (int t = 0; t < rows; t++)
        {
            for (int h = 0; h < heads; h++)
            {
                for (int i = 0; i < headDim / 2; i++)
                {
                    float angle = (position + t) * MathF.Exp(i * step);
                    int at = (t * heads + h) * headDim + 2 * i;
                    double re = x[at], im = x[at + 1], c = Math.Cos(angle), s = Math.Sin(angle);
                    y[at] = re * c - im * s;
                    y[at + 1] = re * s + im * c;
                    m[at] = m[at + 1] = Math.Abs(re) + Math.Abs(im);
                }
            }
        }
        return (y, m);
    }

    /// <summary>erfc(z) for z ≥ 0 to about 1e-15: the positive series of erf for small z, a continued fraction beyond.</summary>
    public static double Erfc(double z)
    {
        if (z < 2.5)
        {
            // erf(z) = 2/√π · e^(−z²) · Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)): all terms positive, no cancellation.
            double term = z, sum = z;
            for (int n = 1; n < 500 && term > 1e-18 * sum; n++)
            {
                term *= 2 * z * z / (2 * n + 1);
                sum += term;
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z) * sum;
        }
        // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))).
        double f = z;
        for (int n = 200; n >= 1; n--)
            f = z + n / 2.0 / f;
        return Math.Exp(-z * z) / (Math.Sqrt(Math.PI) * f);
    }

    /// <summary>Exact GELU, 0.5·x·(1 + erf(x/√2)), without cancellation in either tail.</summary>
    public static double Gelu(double x) => x >= 0 ? x * (1 - 0.5 * Erfc(x / Math.Sqrt(2))) : 0.5 * x * Erfc(-x / Math.Sqrt(2));

    /// <summary>ELU with alpha 1.</summary>
    public static double Elu(double x) => x > 0 ? x : (Math.Abs(x) < 1e-3 ? ExpM1Series(x) : Math.Exp(x) - 1);

    /// <summary>Tanh-approximate GELU, PyTorch's <c>gelu(approximate="tanh")</c>.</summary>
    // 0.5·x·(1 + tanh(u)) = x / (1 + e^(−2u)), written so that the negative tail does not cancel.
    public static double GeluTanh(double x) => x / (1 + Math.Exp(-2 * Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    /// <summary>SiLU, x·sigmoid(x).</summary>
    public static double Silu(double x) => x / (1 + Math.Exp(-x));

    private static double ExpM1Series(double x)
    {
        double term = x, sum = x;
        for (int n = 2; n < 20; n++)
        {
            term *= x / n;
            sum += term;
        }
        return sum;
    }
}
