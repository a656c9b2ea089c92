using PocketTts.Tests.Unit.Backends.Torch;

namespace PocketTts.Tests.Unit.Backends.Conformance;

/// <summary>The torch backend, loaded as the host loads its plugin, passes every case of the conformance kit.</summary>
[Collection(TorchPlugin.Collection)]
public sealed class TorchConformanceTests
{
    public static TheoryData<string> Cases() => [.. BackendConformance.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        using var backend = TorchPlugin.Create();
        ConformanceResult result = BackendConformance.Case(name).Run(backend);
        result.Passed.ShouldBeTrue(result.Detail);
    }
}
