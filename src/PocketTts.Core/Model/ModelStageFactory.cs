using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Model.Graphs;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model;

/// <summary>
/// Builds the four stages of a model on a backend: a stage backend builds them itself; on a tensor backend the
/// engine's model definition is built from the weights, which must match it exactly (strict loading). A stage backend
/// that runs graphs records them from the same definition (<see cref="ModelDefinition"/>).
/// </summary>
internal static class ModelStageFactory
{
    public static IModelStages Create(IBackend backend, ModelSource source, ModelConfig config, CancellationToken cancellationToken)
    {
        switch (backend)
        {
            case IStageBackend stageBackend:
                return stageBackend.CreateStages(source, ModelDefinition.Instance, cancellationToken);
            case ITensorBackend tensorBackend:
                return BuildOnTensorBackend(tensorBackend, source, config);
            default:
                throw new NotSupportedException($"Backend '{backend.Name}' is neither an ITensorBackend nor an IStageBackend.");
        }
    }

    /// <summary>
    /// The whole-model file, or, when the configuration names raw training checkpoints
    /// (<c>flow_lm.weights_path</c> and <c>mimi.weights_path</c>) and no whole-model file is given, those two.
    /// </summary>
    internal static TensorModelStages BuildOnTensorBackend(ITensorBackend backend, ModelSource source, ModelConfig config)
    {
        var files = new List<SafeTensorsFile>();
        try
        {
            IWeightSource weights;
            if (string.IsNullOrEmpty(source.WeightsPath) && config.FlowLm.WeightsPath is { } flowLm && config.Mimi.WeightsPath is { } mimi)
            {
                files.Add(SafeTensorsFile.Open(flowLm));
                files.Add(SafeTensorsFile.Open(mimi));
                weights = CheckpointMapping.FromRawCheckpoints(files[0], files[1]);
            }
            else
            {
                files.Add(SafeTensorsFile.Open(source.WeightsPath));
                weights = CheckpointMapping.ToModelLayout(files[0]);
            }
            var root = new WeightScope(weights);
            var stages = TensorModelStages.Build(backend, config, root, source.Quantize ? QuantizationGroups.Recommended : QuantizationGroups.None);
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
        finally
        {
            foreach (SafeTensorsFile file in files)
                file.Dispose();
        }
    }
}
