using PocketTts.Audio;
using PocketTts.Generation;
using PocketTts.Voices;

namespace PocketTts.Browser.Engines;

/// <summary>The engine and the managed backend compiled to WebAssembly: every stage on the .NET interpreter.</summary>
internal sealed class ManagedEngine(PocketTtsModel model) : ISpeechEngine
{
    public int SampleRate => model.SampleRate;

    public Task<object> VoiceFromAudioAsync(AudioClip clip) => Task.FromResult<object>(model.CreateVoiceState(clip.Samples, clip.SampleRate));

    public object VoiceFromState(byte[] state) => model.LoadVoiceState(state, "the voice state");

    public IAsyncEnumerable<AudioChunk> GenerateAsync(string text, object voice, GenerationOptions options) =>
        model.GenerateStreamingAsync(text, voice as VoiceState ?? throw new ArgumentException("The voice was made by another engine."), options);

    public ValueTask DisposeAsync() => model.DisposeAsync();
}
