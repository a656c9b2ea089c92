using PocketTts.Audio.Encoders;
using PocketTts.Generation;
using PocketTts.Voices;

namespace PocketTts.Host.Serving;

/// <summary>A validated request to speak: everything a <see cref="SpeechResult"/> needs to stream the audio.</summary>
/// <param name="Text">The text, non-empty and within the length limit.</param>
/// <param name="Voice">The voice state.</param>
/// <param name="Options">Generation options (the server's, with the request's seed).</param>
/// <param name="Format">The audio format.</param>
/// <param name="Speed">Tempo factor, 0.25 to 4; 1 leaves the audio untouched.</param>
/// <param name="ServerSentEvents">Whether the audio goes out as <c>speech.audio.delta</c> events.</param>
/// <param name="FileName">Suggested download name, for <c>Content-Disposition</c>; null sends none.</param>
internal sealed record SpeechJob(string Text, VoiceState Voice, GenerationOptions Options, AudioFormat Format, float Speed = 1f, bool ServerSentEvents = false, string? FileName = null);
