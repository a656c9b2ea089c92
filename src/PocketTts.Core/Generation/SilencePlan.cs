namespace PocketTts.Generation;

/// <summary>A pause: this many samples of digital silence at the model's sample rate.</summary>
/// <param name="Samples">Length of the silence in samples, &gt; 0.</param>
internal sealed record SilencePlan(int Samples) : PlanItem;
