using System.Text;

namespace PocketTts.Backends.Conformance;

/// <summary>The results of a conformance run: one per case, in the order of <see cref="BackendConformance.Cases"/>.</summary>
public sealed class ConformanceReport
{
    internal ConformanceReport(string backend, IReadOnlyList<ConformanceResult> results)
    {
        Backend = backend;
        Results = results;
    }

    /// <summary>The name of the backend checked.</summary>
    public string Backend { get; }

    /// <summary>Every case's result.</summary>
    public IReadOnlyList<ConformanceResult> Results { get; }

    /// <summary>The failed cases.</summary>
    public IEnumerable<ConformanceResult> Failures => Results.Where(r => !r.Passed);

    /// <summary>True when every case passed.</summary>
    public bool Passed => Results.All(r => r.Passed);

    /// <summary>Throws when a case failed, with every failure in the message.</summary>
    /// <exception cref="ConformanceException">At least one case failed.</exception>
    public void ThrowIfFailed()
    {
        if (!Passed)
            throw new ConformanceException(ToString());
    }

    /// <summary>A summary line, then one line per failure.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        int failed = Failures.Count();
        text.Append(Backend).Append(": ").Append(Results.Count - failed).Append(" of ").Append(Results.Count).Append(" conformance cases passed");
        foreach (ConformanceResult failure in Failures)
            text.AppendLine().Append(failure);
        return text.ToString();
    }
}

/// <summary>A backend failed conformance cases; the message lists them.</summary>
public sealed class ConformanceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConformanceException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConformanceException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ConformanceException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
