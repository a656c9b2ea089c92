using PocketTts.Tensors;

namespace PocketTts.Backends.Conformance;

/// <summary>
/// The conformance kit, in the spirit of ggml's <c>test-backend-ops</c>: every <see cref="ITensorBackend"/> operation on
/// the shapes the model uses and on awkward ones (tails, strides, dilations, groups, rings that wrap), checked against
/// a float64 reference, plus the in-place rules and the argument errors of the contract.
/// </summary>
/// <example>
/// In a plugin's test project (xUnit here; the kit depends on no test framework):
/// <code>
/// public static TheoryData&lt;string&gt; Cases() => [.. BackendConformance.Cases.Select(c => c.Name)];
///
/// [Theory, MemberData(nameof(Cases))]
/// public void Conforms(string name)
/// {
///     using var backend = new MyBackend();
///     ConformanceResult result = BackendConformance.Case(name).Run(backend);
///     Assert.True(result.Passed, result.Detail);
/// }
/// </code>
/// or all at once: <c>BackendConformance.Run(backend).ThrowIfFailed()</c>.
/// </example>
public static class BackendConformance
{
    /// <summary>Every case, grouped by operation in the order of the <see cref="ITensorBackend"/> members.</summary>
    public static IReadOnlyList<ConformanceCase> Cases { get; } = Catalog.All();

    /// <summary>The case named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No case has that name.</exception>
    public static ConformanceCase Case(string name) =>
        Cases.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"No conformance case is named '{name}'.", nameof(name));

    /// <summary>Runs every case on <paramref name="backend"/>.</summary>
    /// <param name="backend">The backend under test.</param>
    /// <param name="options">Tolerances; <see cref="ConformanceOptions.Default"/> when null.</param>
    public static ConformanceReport Run(ITensorBackend backend, ConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return new ConformanceReport(backend.Name, [.. Cases.Select(c => c.Run(backend, options))]);
    }
}
