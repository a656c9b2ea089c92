using System.Runtime.InteropServices.JavaScript;
using System.Runtime.Versioning;

namespace PocketTts.Browser.Engines;

/// <summary>
/// The stages that wwwroot/graph-stages.js runs on onnxruntime-web, registered by pocket-tts.js as module
/// <c>graph-stages</c>. Voices, FlowLM streams and decoders are handles to objects that live in JavaScript, with their
/// caches; floats cross as little-endian float32 bytes. A call that runs a graph returns a promise.
/// </summary>
[SupportedOSPlatform("browser")]
internal static partial class GraphStages
{
    private const string Module = "graph-stages";

    /// <summary>A voice from a FlowLM snapshot: keys and values [layers, offset, heads, headDim] each.</summary>
    [JSImport("voiceFromSnapshot", Module)]
    public static partial int VoiceFromSnapshot(int offset, int layers, int heads, int headDim, byte[] keys, byte[] values);

    /// <summary>A voice from 24 kHz mono samples: the Mimi encoder, the voice conditioning and the prompt pass.</summary>
    [JSImport("voiceFromAudio", Module)]
    [return: JSMarshalAs<JSType.Promise<JSType.Number>>]
    public static partial Task<int> VoiceFromAudio(byte[] samples);

    /// <summary>A FlowLM stream on a copy of the voice's caches, for one text chunk.</summary>
    [JSImport("startChunk", Module)]
    public static partial int StartChunk(int voice);

    /// <summary>The text prompt: the token ids' embeddings through FlowLM.</summary>
    [JSImport("prompt", Module)]
    [return: JSMarshalAs<JSType.Promise<JSType.Void>>]
    public static partial Task Prompt(int stream, [JSMarshalAs<JSType.Array<JSType.Number>>] int[] tokenIds);

    /// <summary>One FlowLM step from the input latent (NaN = BOS) and the noise; returns the EOS logit (the latent: <see cref="Latent"/>).</summary>
    [JSImport("step", Module)]
    [return: JSMarshalAs<JSType.Promise<JSType.Number>>]
    public static partial Task<double> Step(int stream, byte[] input, byte[] noise, int lsdSteps);

    /// <summary>The latent of the stream's last step.</summary>
    [JSImport("latent", Module)]
    public static partial byte[] Latent(int stream);

    /// <summary>A streaming Mimi decoder.</summary>
    [JSImport("createDecoder", Module)]
    public static partial int CreateDecoder();

    /// <summary>Back to a fresh decoder state.</summary>
    [JSImport("resetDecoder", Module)]
    public static partial void ResetDecoder(int decoder);

    /// <summary>Decodes one latent into one frame (read it with <see cref="Audio"/>).</summary>
    [JSImport("decode", Module)]
    [return: JSMarshalAs<JSType.Promise<JSType.Void>>]
    public static partial Task Decode(int decoder, byte[] latent);

    /// <summary>The frame the decoder made last.</summary>
    [JSImport("audio", Module)]
    public static partial byte[] Audio(int decoder);

    /// <summary>Frees a voice, stream or decoder.</summary>
    [JSImport("release", Module)]
    public static partial void Release(int handle);
}
