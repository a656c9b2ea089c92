namespace PocketTts.Stages;

/// <summary>
/// A coarse stage of the synthesis pipeline (text conditioner, FlowLM, Mimi encoder, Mimi decoder). Stages
/// hold weights and never per-stream data: per-stream data lives in state objects that the stage creates and
/// the caller owns, so one stage serves many concurrent generations. Inputs and outputs are host memory.
/// </summary>
public interface IModelStage : IDisposable
{
    /// <summary>The backend that runs this stage (for diagnostics).</summary>
    string BackendName { get; }
}

/// <summary>A stage's per-stream state. Owned by one generation at a time; not thread-safe.</summary>
public interface IStageState : IDisposable
{
}
