using PocketTts.Backends;
using PocketTts.Backends.Managed;

namespace PocketTts.Tests.Unit.Backends.Conformance;

/// <summary>The managed backend passes every case of the conformance kit, on one thread and on several.</summary>
public sealed class ManagedConformanceTests
{
    public static TheoryData<string> Cases() => [.. BackendConformance.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void One_thread(string name)
    {
        using var backend = new ManagedTensorBackend(new BackendOptions { Threads = 1 });
        ConformanceResult result = BackendConformance.Case(name).Run(backend);
        result.Passed.ShouldBeTrue(result.Detail);
    }

    [Fact]
    public void Several_threads()
    {
        using var backend = new ManagedTensorBackend(new BackendOptions { Threads = 3 });
        ConformanceReport report = BackendConformance.Run(backend);
        report.Passed.ShouldBeTrue(report.ToString());
        report.ToString().ShouldStartWith($"managed: {BackendConformance.Cases.Count} of {BackendConformance.Cases.Count} conformance cases passed");
    }
}
