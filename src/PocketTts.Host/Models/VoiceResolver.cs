using PocketTts.Config;
using PocketTts.Hub;
using PocketTts.Voices;

namespace PocketTts.Host.Models;

/// <summary>
/// Turns what a user names as a voice into a voice state: a predefined voice name (its exported state is
/// downloaded), an exported <c>.safetensors</c> state, or a WAV/MP3 file to clone — each as a local path, an
/// http(s) URL or an <c>hf://</c> reference. URLs are fetched within a <see cref="DownloadPolicy"/> (see
/// <see cref="VoiceDownloads"/>); the predefined voices, this project's own references, are not.
/// </summary>
internal sealed class VoiceResolver(HubClient hub)
{
    public async Task<VoiceState> ResolveAsync(LoadedModel loaded, string voice, DownloadPolicy urlPolicy, CancellationToken cancellationToken)
    {
        if (PredefinedVoices.TryGet(voice, out PredefinedVoice? predefined))
        {
            if (loaded.HasCustomWeights)
                throw new UsageException($"'{voice}' is a predefined voice: a state precomputed with the released weights, which leaves other weights out of distribution (they typically never end speech); give a WAV/MP3 file or a .safetensors state exported with these weights instead.");
            if (loaded.PredefinedVoiceLanguage is not { } language)
                throw new UsageException($"'{voice}' is a predefined voice, which needs a built-in language (--language), not a custom --config; give a WAV/MP3 file or an exported .safetensors state instead.");
            string path = await hub.ResolveAsync(predefined.EmbeddingReference(language), cancellationToken: cancellationToken);
            return loaded.Model.LoadVoiceState(path);
        }

        string local;
        try
        {
            local = await hub.ResolveAsync(voice, urlPolicy, cancellationToken: cancellationToken);
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"Voice '{voice}' is neither a predefined voice ({string.Join(", ", PredefinedVoices.All.Select(v => v.Name))}) nor an existing file.");
        }
        if (local.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            return loaded.Model.LoadVoiceState(local);
        if (!loaded.HasVoiceCloning)
        {
            throw new UsageException(
                "This model was loaded without voice cloning, so it cannot clone a voice from audio. Use a predefined voice or an exported .safetensors state, " +
                "or get the voice-cloning weights: accept the terms on https://huggingface.co/kyutai/pocket-tts and set HF_TOKEN to an access token of that account.");
        }
        return await loaded.Model.CreateVoiceStateAsync(local, cancellationToken);
    }
}
