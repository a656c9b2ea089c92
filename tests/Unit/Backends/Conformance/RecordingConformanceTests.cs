namespace PocketTts.Tests.Unit.Backends.Conformance;

/// <summary>
/// The graph recorder passes every case of the conformance kit: each operation recorded as a graph of its own and
/// run in ONNX Runtime (<see cref="RecordingBackend"/>).
/// </summary>
public sealed class RecordingConformanceTests
{
    public static TheoryData<string> Cases() => [.. BackendConformance.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        using var backend = new RecordingBackend();
        ConformanceResult result = BackendConformance.Case(name).Run(backend);
        result.Passed.ShouldBeTrue(result.Detail);
    }
}
