using PocketTts.Audio;
using PocketTts.Audio.Encoders;

namespace PocketTts.Host.Serving;

/// <summary>The request parameters both speech endpoints take (<c>response_format</c>, <c>speed</c>), checked the same way.</summary>
internal static class SpeechParameters
{
    /// <summary>The format a request names, or <paramref name="fallback"/> when it names none.</summary>
    /// <exception cref="ApiException">400: not one of <see cref="AudioFormats.Names"/>.</exception>
    public static AudioFormat Format(string? name, AudioFormat fallback)
    {
        if (string.IsNullOrEmpty(name))
            return fallback;
        return AudioFormats.TryParse(name, out AudioFormat format)
            ? format
            : throw ApiException.BadRequest($"response_format '{name}' is not one of {string.Join(", ", AudioFormats.Names)}.", "response_format", "invalid_response_format");
    }

    /// <summary>The tempo factor a request asks for; 1 when it asks for none.</summary>
    /// <exception cref="ApiException">400: outside <see cref="TimeStretch.MinSpeed"/> to <see cref="TimeStretch.MaxSpeed"/>.</exception>
    public static float Speed(float? speed)
    {
        float value = speed ?? 1f;
        return value is >= TimeStretch.MinSpeed and <= TimeStretch.MaxSpeed
            ? value
            : throw ApiException.BadRequest($"speed {value} is out of range: use {TimeStretch.MinSpeed} to {TimeStretch.MaxSpeed}.", "speed", "invalid_speed");
    }
}
