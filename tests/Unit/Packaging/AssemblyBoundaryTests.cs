using System.Runtime.CompilerServices;

namespace PocketTts.Tests.Unit.Packaging;

/// <summary>
/// The engine opens its internals to test projects only: the host (pocket-tts) and the library package use its public
/// API, as a third party's application would (docs/architecture.md, "Public seams of the engine"); so does the browser
/// build, whose onnxruntime-web engine drives its awaited stage calls through <c>AsyncSpeechGenerator</c>.
/// </summary>
public sealed class AssemblyBoundaryTests
{
    [Fact]
    public void Core_grants_its_internals_to_test_assemblies_only()
    {
        string[] granted = [.. typeof(PocketTtsModel).Assembly.GetCustomAttributes(typeof(InternalsVisibleToAttribute), inherit: false)
            .Cast<InternalsVisibleToAttribute>().Select(attribute => attribute.AssemblyName)];

        granted.ShouldBe(["PocketTts.Tests.Unit", "PocketTts.Tests.Parity", "PocketTts.Fuzz"], ignoreOrder: true);
    }
}
