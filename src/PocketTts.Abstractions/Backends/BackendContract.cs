namespace PocketTts.Backends;

/// <summary>
/// Version of the backend contract (the types of this assembly). A plugin records the value it was
/// compiled against through <see cref="IBackendPlugin.ContractVersion"/>; the host refuses a plugin whose
/// major version differs from its own.
/// </summary>
public static class BackendContract
{
    /// <summary>The contract version of this build of PocketTts.Abstractions. Bump on any breaking change.</summary>
    // 2: IStageBackend.CreateStages and IGraphExporter.Export take the engine's IModelDefinition.
    public const int Version = 2;

    /// <summary>The well-known backend names that ship with Pocket TTS.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["managed", "torch", "torch-cuda", "onnx", "onnx-cuda"];
}
