namespace PocketTts.Generation;

/// <summary>
/// One step of a generation plan, in the order the audio comes out: a text chunk to speak (<see cref="ChunkPlan"/>)
/// or a silence (<see cref="SilencePlan"/>).
/// </summary>
public abstract record PlanItem;
