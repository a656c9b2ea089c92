using PocketTts.Audio;
using PocketTts.Generation;

namespace PocketTts.Browser.Engines;

/// <summary>
/// What runs the model behind the JavaScript API: the managed engine (<see cref="ManagedEngine"/>) or the exported
/// graphs on onnxruntime-web (<see cref="GraphEngine"/>). Voices are the engine's own objects, made and used by it.
/// </summary>
internal interface ISpeechEngine : IAsyncDisposable
{
    /// <summary>The output sample rate.</summary>
    int SampleRate { get; }

    /// <summary>A voice from decoded audio (any rate; the first 30 s are used).</summary>
    Task<object> VoiceFromAudioAsync(AudioClip clip);

    /// <summary>A voice from a state exported by <c>pocket-tts export-voice</c> (safetensors bytes).</summary>
    object VoiceFromState(byte[] state);

    /// <summary>Generates <paramref name="text"/> in <paramref name="voice"/>, frame by frame.</summary>
    IAsyncEnumerable<AudioChunk> GenerateAsync(string text, object voice, GenerationOptions options);
}
