using Microsoft.ML.OnnxRuntime;
using PocketTts.Graphs;
using PocketTts.Graphs.Onnx;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// The adapter for the graphs this project exports: the four stages on the graphs of a folder, as its manifest
/// describes them (<see cref="OnnxManifest"/>: states, host caches and position per graph).
/// </summary>
internal static class OnnxModelStages
{
    /// <summary>Opens every graph of <paramref name="manifest"/> (in <paramref name="directory"/>) in a session.</summary>
    /// <exception cref="InvalidDataException">A graph is missing or ONNX Runtime rejects it.</exception>
    public static ModelStages Open(string backendName, string directory, OnnxManifest manifest, SessionOptions options)
    {
        using var opened = new OpenedGraphs(directory, options);
        OnnxGraph Graph(string name) => opened.Open(GraphSignature.Of(manifest.Graph(name)));
        StageGraphSettings settings = manifest.Settings;

        OnnxGraph text = Graph("text_conditioner");
        var textConditioner = new TextConditionerSignature(text, text.Input("token_ids"), text.Output("embeddings"), settings.ModelDim, settings.TableRows);

        OnnxGraph voice = Graph("flow_lm_voice"), main = Graph("flow_lm_main"), flow = Graph("flow_net");
        var flowLm = new FlowLmSignature(
            main, main.Input("conditioning"), main.Input("latents"), main.Output("hidden"), main.Output("eos_logit"), HiddenOfEveryRow: true,
            flow, flow.Input("condition"), settings.DriftingHead ? null : flow.Input("s"), settings.DriftingHead ? null : flow.Input("t"), flow.Input("x"), flow.Output("flow"),
            new VoiceSignature(voice, voice.Input("latents"), voice.Output("conditioning"), settings.HasBosBeforeVoice ? voice.Output("bos_before_voice") : null),
            BosBeforeVoice: null, settings.SpeakerDim, new HostFlowLmCaches(settings.Layers, settings.Heads, settings.HeadDim));

        OnnxGraph first = Graph("mimi_encoder_first"), next = Graph("mimi_encoder");
        int encoderLatentDim = manifest.Graph("mimi_encoder").Outputs.Single(o => o.Name == "latents").Shape[1];
        var encoder = new MimiEncoderSignature(first, next, next.Input("audio"), next.Output("latents"), encoderLatentDim, settings.EncoderChunkFrames);

        OnnxGraph decoder = Graph("mimi_decoder");
        var mimiDecoder = new MimiDecoderSignature(decoder, decoder.Input("latent"), decoder.Output("audio"));

        var stages = new ModelStages(
            new OnnxTextConditionerStage(backendName, textConditioner),
            new OnnxFlowLmStage(backendName, flowLm, settings.ModelDim, settings.LatentDim),
            new OnnxMimiEncoderStage(backendName, encoder, settings.FrameSamples),
            new OnnxMimiDecoderStage(backendName, mimiDecoder, settings.LatentDim, settings.FrameSamples));
        opened.Keep();
        return stages;
    }
}
