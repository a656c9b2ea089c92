namespace PocketTts.Generation;

/// <summary>One text chunk ready for generation: its text, token ids and frame budget.</summary>
/// <param name="Text">The chunk as the sentence splitter produced it.</param>
/// <param name="TokenIds">Its token ids.</param>
/// <param name="FramesAfterEos">Frames generated after end of speech.</param>
/// <param name="MaxFrames">Upper bound of generated frames.</param>
internal sealed record ChunkPlan(string Text, int[] TokenIds, int FramesAfterEos, int MaxFrames) : PlanItem;
