namespace PocketTts.Generation;

/// <summary>
/// What FlowLM hands to Mimi: frame <paramref name="Frame"/> of plan item <paramref name="Item"/>, as a latent rented
/// from <see cref="System.Buffers.ArrayPool{T}.Shared"/> (the receiver returns it), or, for a pause, no latent: the
/// length is in the plan item.
/// </summary>
internal readonly record struct LatentMessage(int Item, int Frame, float[]? Latent);
