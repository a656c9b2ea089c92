using PocketTts.Tensors;

namespace PocketTts.Backends.Conformance;

/// <summary>
/// One check of the <see cref="ITensorBackend"/> contract: an operation on given shapes compared with the float64
/// reference, an in-place call compared with the out-of-place one, or a call the contract forbids that must throw.
/// </summary>
public sealed class ConformanceCase
{
    private readonly Func<CaseContext, string> _body;

    internal ConformanceCase(string operation, string name, Func<CaseContext, string> body)
    {
        Operation = operation;
        Name = name;
        _body = body;
    }

    /// <summary>The <see cref="ITensorBackend"/> member the case checks, for example "Conv1d".</summary>
    public string Operation { get; }

    /// <summary>A unique, readable name: the operation and its shapes, for example "Conv1d in 6 out 9 k 3 dilation 3 groups 3".</summary>
    public string Name { get; }

    /// <summary>Runs the case on <paramref name="backend"/>; a backend exception is a failure, never thrown.</summary>
    /// <param name="backend">The backend under test.</param>
    /// <param name="options">Tolerances; <see cref="ConformanceOptions.Default"/> when null.</param>
    public ConformanceResult Run(ITensorBackend backend, ConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        using var context = new CaseContext(backend, options ?? ConformanceOptions.Default);
        try
        {
            return new ConformanceResult(this, true, _body(context));
        }
        catch (ConformanceFailure failure)
        {
            return new ConformanceResult(this, false, failure.Message);
        }
#pragma warning disable CA1031 // Whatever the backend throws is the case's failure, reported rather than rethrown.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new ConformanceResult(this, false, $"threw {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
