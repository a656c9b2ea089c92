using System.Globalization;
using PocketTts.Tensors;

namespace PocketTts.Backends.Conformance;

/// <summary>
/// What a case body works with: the backend, the tolerances, tensors that are disposed when the case ends, and the
/// checks, which throw <see cref="ConformanceFailure"/> on the first element outside its allowance and otherwise keep
/// the worst error seen.
/// </summary>
internal sealed class CaseContext(ITensorBackend backend, ConformanceOptions options) : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private double _worst;
    private bool _compared;
    private int _checks;

    public ITensorBackend Backend { get; } = backend;

    public ConformanceOptions Options { get; } = options;

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
            _owned[i].Dispose();
    }

    public T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public ITensor Tensor(float[] values, params int[] dims) => Own(Backend.Constant(values, new TensorShape(dims)));

    public ITensor Allocate(params int[] dims) => Own(Backend.Allocate(new TensorShape(dims)));

    public float[] Values(ITensor tensor)
    {
        var values = new float[tensor.Shape.ElementCount];
        Backend.Read(tensor, values);
        return values;
    }

    /// <summary>|actual − expected| ≤ tolerance · magnitude for every element (NaN never passes).</summary>
    public void Close(float[] actual, double[] expected, double[] magnitude, double tolerance, string what)
    {
        Count(actual, expected.Length, what);
        _checks++;
        for (int i = 0; i < actual.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            double allowed = tolerance * magnitude[i] + double.Epsilon;
            if (!(error <= allowed))
                throw new ConformanceFailure(string.Create(CultureInfo.InvariantCulture,
                    $"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (error {error:E2}, allowed {allowed:E2})"));
            _worst = Math.Max(_worst, error / allowed);
        }
        _compared = true;
    }

    /// <summary>Bit for bit (NaN payloads aside): copies, gathers and in-place calls.</summary>
    public void Exact(float[] actual, float[] expected, string what)
    {
        Count(actual, expected.Length, what);
        _checks++;
        for (int i = 0; i < actual.Length; i++)
        {
            bool same = float.IsNaN(expected[i]) ? float.IsNaN(actual[i]) : BitConverter.SingleToInt32Bits(actual[i]) == BitConverter.SingleToInt32Bits(expected[i]);
            if (!same)
                throw new ConformanceFailure(string.Create(CultureInfo.InvariantCulture, $"{what}: element {i} is {actual[i]:R}, expected exactly {expected[i]:R}"));
        }
    }

    /// <summary>The call must throw <typeparamref name="TException"/> (or a subclass), as the contract says.</summary>
    public void Throws<TException>(Action call, string what) where TException : Exception
    {
        try
        {
            call();
        }
        catch (TException)
        {
            _checks++;
            return;
        }
#pragma warning disable CA1031 // Any other exception is the finding.
        catch (Exception e)
#pragma warning restore CA1031
        {
            throw new ConformanceFailure($"{what}: threw {e.GetType().Name} ({e.Message}), expected {typeof(TException).Name}");
        }
        throw new ConformanceFailure($"{what}: was accepted, expected {typeof(TException).Name}");
    }

    /// <summary>What a passing case reports: its worst error against the allowance, "exact", or "refused" for argument checks.</summary>
    public string Outcome() => _checks == 0 ? throw new InvalidOperationException("The case checked nothing.")
        : _compared ? string.Create(CultureInfo.InvariantCulture, $"{_checks} checks, worst error {_worst:0.###} of allowed")
        : $"{_checks} checks, exact";

    private static void Count(float[] actual, int expected, string what)
    {
        if (actual.Length != expected)
            throw new ConformanceFailure($"{what}: {actual.Length} values, expected {expected}");
    }
}

/// <summary>A case's finding: the backend broke the contract.</summary>
internal sealed class ConformanceFailure(string message) : Exception(message);
