using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model;

/// <summary>
/// Builds the four stages of a model on a backend: a stage backend builds them itself; on a tensor backend the
/// engine's model definition is built from the weights, which must match it exactly (strict loading).
/// </summary>
internal static class ModelStageFactory
{
    public static IModelStages Create(IBackend backend, ModelSource source, ModelConfig config, CancellationToken cancellationToken)
    {
        switch (backend)
        {
            case IStageBackend stageBackend:
                return stageBackend.CreateStages(source, cancellationToken);
            case ITensorBackend when source.Quantize:
                throw new NotSupportedException("int8 quantization (--quantize) is not available yet on tensor backends; load the float model.");
            case ITensorBackend tensorBackend:
                using (SafeTensorsFile file = SafeTensorsFile.Open(source.WeightsPath))
                {
                    var root = new WeightScope(CheckpointMapping.ToModelLayout(file));
                    var stages = TensorModelStages.Build(tensorBackend, config, root);
                    try
                    {
                        root.EnsureAllConsumed();
                    }
                    catch
                    {
                        stages.Dispose();
                        throw;
                    }
                    return stages;
                }
            default:
                throw new NotSupportedException($"Backend '{backend.Name}' is neither an ITensorBackend nor an IStageBackend.");
        }
    }
}
