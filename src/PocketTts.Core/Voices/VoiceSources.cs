using PocketTts.Config;
using PocketTts.Hub;

namespace PocketTts.Voices;

/// <summary>
/// Turns what a user names as a voice into a voice state, as <c>pocket-tts</c> and the reference do: a predefined
/// voice name (its exported state is downloaded), an exported <c>.safetensors</c> state, or a WAV/MP3 recording to
/// clone — each as a local path, an http(s) URL or an <c>hf://</c> reference. URLs are fetched within a
/// <see cref="DownloadPolicy"/> (see <see cref="VoiceDownloads"/>); the predefined voices, this project's own
/// references, are not.
/// </summary>
public static class VoiceSources
{
    /// <summary>Resolves <paramref name="voice"/> for <paramref name="model"/>, loaded from <paramref name="resolved"/>.</summary>
    /// <exception cref="UnsupportedException">A predefined voice the weights cannot use (a configuration file or a training
    /// checkpoint; subject <c>voice</c>), or a recording to clone with weights that have no voice-cloning encoder.</exception>
    /// <exception cref="NotFoundException">Neither a predefined voice nor an existing file (subject <c>voice</c>).</exception>
    /// <exception cref="HubException">A download failed or was refused by the policy.</exception>
    /// <exception cref="InvalidDataException">The file is not a voice state or audio.</exception>
    public static async Task<VoiceState> ResolveAsync(HubClient hub, PocketTtsModel model, ResolvedModel resolved, string voice, DownloadPolicy urlPolicy,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(voice);
        if (PredefinedVoices.TryGet(voice, out PredefinedVoice? predefined))
        {
            if (resolved.HasCustomWeights)
                throw new UnsupportedException("is a predefined voice: a state precomputed with the released weights, which leaves other weights out of distribution (they typically never end speech); give a WAV/MP3 file or a .safetensors state exported with these weights instead.", nameof(voice), voice);
            if (resolved.PredefinedVoiceLanguage is not { } language)
                throw new UnsupportedException("is a predefined voice, which needs a built-in language, not a custom configuration; give a WAV/MP3 file or an exported .safetensors state instead.", nameof(voice), voice);
            string path = await hub.ResolveAsync(predefined.EmbeddingReference(language), cancellationToken: cancellationToken).ConfigureAwait(false);
            return model.LoadVoiceState(path);
        }

        string local;
        try
        {
            local = await hub.ResolveAsync(voice, urlPolicy, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new NotFoundException($"is neither a predefined voice ({string.Join(", ", PredefinedVoices.All.Select(v => v.Name))}) nor an existing file.", nameof(voice), voice, e);
        }
        if (local.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            return model.LoadVoiceState(local);
        if (!resolved.Files.HasVoiceCloning)
        {
            throw new UnsupportedException(
                "This model was loaded without voice cloning, so it cannot clone a voice from audio. Use a predefined voice or an exported .safetensors state, " +
                "or get the voice-cloning weights: accept the terms on https://huggingface.co/kyutai/pocket-tts and set HF_TOKEN to an access token of that account.");
        }
        return await model.CreateVoiceStateAsync(local, cancellationToken).ConfigureAwait(false);
    }
}
