namespace PocketTts.Generation;

/// <summary>
/// A piece of generated speech: mono float samples in [−1, 1] at <see cref="SampleRate"/> (one 80 ms frame of
/// 1920 samples at 24 kHz for model output; pauses may produce other lengths).
/// </summary>
/// <param name="Samples">The samples; owned by the receiver.</param>
/// <param name="SampleRate">Samples per second (24000).</param>
/// <param name="TextChunk">Index of the text chunk (sentence group) this audio belongs to.</param>
/// <param name="Frame">Index of the frame within its text chunk.</param>
public sealed record AudioChunk(float[] Samples, int SampleRate, int TextChunk, int Frame)
{
    /// <summary>The text chunk this audio speaks, as the sentence splitter made it; null for a pause.</summary>
    public string? Text { get; init; }

    /// <summary>Duration of the chunk.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
