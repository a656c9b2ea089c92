namespace PocketTts.Backends.Conformance;

/// <summary>The outcome of one <see cref="ConformanceCase"/> on one backend.</summary>
/// <param name="Case">The case.</param>
/// <param name="Passed">True when the backend met the contract.</param>
/// <param name="Detail">
/// For a pass, the worst error as a fraction of the allowed one (for example "error 0.03 of allowed"), or "exact";
/// for a failure, what differed: the element, both values and the allowance, or the exception the backend threw.
/// </param>
public sealed record ConformanceResult(ConformanceCase Case, bool Passed, string Detail)
{
    /// <summary>One line: pass or FAIL, the case, the detail.</summary>
    public override string ToString() => $"{(Passed ? "pass" : "FAIL")}  {Case.Name}: {Detail}";
}
