using PocketTts.Audio;
using PocketTts.Config;
using PocketTts.Host.Audio;
using PocketTts.Hub;
using PocketTts.IO;
using PocketTts.Voices;

namespace PocketTts.Host.Models;

/// <summary>
/// The library's <see cref="VoiceSources"/> for the CLI and the server: its refusals as usage errors, and recordings
/// in formats only ffmpeg reads (local files by their extension, downloads by their content) converted first.
/// </summary>
/// <param name="hub">Downloads predefined voices and URLs.</param>
/// <param name="ffmpegPath">The ffmpeg executable, or null when none was found.</param>
internal sealed class VoiceResolver(HubClient hub, string? ffmpegPath)
{
    /// <summary>The ffmpeg executable voice recordings are converted with, or null when none was found.</summary>
    public string? FfmpegPath => ffmpegPath;

    /// <summary>
    /// Checks what can be checked of a voice before the model is loaded, so a mistyped name fails before a download:
    /// a name that is neither a predefined voice nor a URL must be an existing file. The message says what was
    /// looked for and where; the predefined voices are offered only when the model can use them.
    /// </summary>
    /// <param name="voice">The voice as the user typed it.</param>
    /// <param name="source">How it was given, e.g. <c>--voice</c>.</param>
    /// <param name="options">The model it is for.</param>
    /// <exception cref="UsageException">No such voice.</exception>
    public static void CheckBeforeLoad(string voice, string source, ModelOptions options)
    {
        if (PredefinedVoices.TryGet(voice, out _) || voice.Contains("://", StringComparison.Ordinal) || Path.Exists(voice))
            return;
        string fullPath = Path.GetFullPath(voice);
        if (options.ConfigPath is not null || options.CheckpointPath is not null)
        {
            throw new UsageException($"{source} '{voice}': no such file ({fullPath}).\n" +
                "hint: give a WAV/MP3 recording or an exported .safetensors state; predefined voices need a built-in --language and its released weights.");
        }
        string? guess = Cli.DidYouMean.Guess(voice, PredefinedVoices.All.Select(v => v.Name));
        throw new UsageException($"{source} '{voice}' is neither a predefined voice nor a file (looked for {fullPath}).\n" + (guess is null
            ? $"hint: predefined voices are {string.Join(", ", PredefinedVoices.All.Select(v => v.Name))}; or give a WAV/MP3 recording or an exported .safetensors state."
            : $"hint: did you mean '{guess}'?"));
    }

    /// <summary>Resolves the voice the user gave, or the model's default voice when <paramref name="voice"/> is null.</summary>
    /// <exception cref="UsageException">The default voice cannot be used, or a recording needs ffmpeg and there is none.</exception>
    /// <exception cref="PocketTtsException">A voice that does not exist or does not fit the model (subject <c>voice</c>).</exception>
    public async Task<VoiceState> ResolveAsync(LoadedModel loaded, string? voice, DownloadPolicy urlPolicy, CancellationToken cancellationToken)
    {
        string? converted = null;
        try
        {
            string source = voice ?? loaded.DefaultVoice;
            converted = source.Contains("://", StringComparison.Ordinal)
                ? await ConvertDownloadThroughFfmpegAsync(source, urlPolicy, cancellationToken)
                : await ConvertThroughFfmpegAsync(source, cancellationToken);
            return await VoiceSources.ResolveAsync(hub, loaded.Model, loaded.Resolved, converted ?? source, urlPolicy, cancellationToken);
        }
        catch (Exception e) when (voice is null && e is PocketTtsException or IOException or HubException or InvalidDataException)
        {
            // The default voice was never typed: say so, rather than report it as if it had been.
            throw new UsageException($"no --voice was given, and the model's default voice ({loaded.DefaultVoice}) could not be used: {e.Message}\n" +
                                     "hint: give --voice a WAV/MP3 recording or an exported .safetensors state.", e);
        }
        finally
        {
            if (converted is not null)
                File.Delete(converted);
        }
    }

    /// <summary>
    /// With ffmpeg, a voice URL is downloaded here accepting any recording ffmpeg reads (the library alone keeps only
    /// WAV, MP3 and voice states), and one the library does not read is converted to a temporary WAV file (the caller
    /// deletes it); null for anything else, which the library then takes from the cache.
    /// </summary>
    private async Task<string?> ConvertDownloadThroughFfmpegAsync(string url, DownloadPolicy urlPolicy, CancellationToken cancellationToken)
    {
        if (ffmpegPath is null)
            return null;
        string local = await hub.ResolveAsync(url, Ffmpeg.AcceptingWhatItReads(urlPolicy, ffmpegPath), cancellationToken: cancellationToken);
        if (local.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || AudioFileReader.Recognises(Start(local)))
            return null;
        return await ConvertAsync(ffmpegPath, local, cancellationToken);
    }

    /// <summary>
    /// A local recording whose extension names a format the library does not read (FLAC, OGG/Opus, M4A…), converted
    /// by ffmpeg to a temporary WAV file (the caller deletes it); null for anything else.
    /// </summary>
    /// <exception cref="UsageException">Such a recording, and no ffmpeg.</exception>
    private async Task<string?> ConvertThroughFfmpegAsync(string? voice, CancellationToken cancellationToken)
    {
        if (voice is null || !Ffmpeg.VoiceExtensions.Contains(Path.GetExtension(voice)) || !File.Exists(voice))
            return null;
        InputFile.EnsureRegular(voice, "voice audio");
        if (ffmpegPath is null)
        {
            throw new UsageException($"{voice}: {Path.GetExtension(voice)} audio is read through ffmpeg, which was not found on PATH.\n" +
                                     "hint: install ffmpeg, or give the recording as WAV or MP3.");
        }
        return await ConvertAsync(ffmpegPath, voice, cancellationToken);
    }

    private static async Task<string> ConvertAsync(string ffmpegPath, string recording, CancellationToken cancellationToken)
    {
        string wav = Path.Combine(Path.GetTempPath(), $"pocket-tts-voice-{Guid.NewGuid():N}.wav");
        try
        {
            await Ffmpeg.ConvertToWavAsync(ffmpegPath, recording, wav, cancellationToken);
        }
        catch
        {
            File.Delete(wav);
            throw;
        }
        return wav;
    }

    /// <summary>The first bytes of a file, enough to tell its format.</summary>
    private static byte[] Start(string path)
    {
        var start = new byte[16];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return start[..file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false)];
    }
}
