using PocketTts.Audio.Encoders;

namespace PocketTts.Tests.Unit.Infrastructure;

/// <summary>A fact that needs ffmpeg on PATH: skipped, with the reason, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FfmpegFactAttribute : FactAttribute
{
    /// <summary>The ffmpeg on this machine's PATH, or null.</summary>
    public static string? Path { get; } = AudioEncoderFactory.FindFfmpeg(Environment.GetEnvironmentVariable("PATH"));

    public FfmpegFactAttribute()
    {
        if (Path is null)
            Skip = "ffmpeg is not installed (not on PATH).";
    }
}
