namespace PocketTts.Weights;

/// <summary>The key layouts a Pocket TTS weights file may use (see <see cref="CheckpointMapping.Detect"/>).</summary>
public enum CheckpointLayout
{
    /// <summary>The published Hugging Face <c>model.safetensors</c>: the whole model, keys <c>flow_lm.*</c> and <c>mimi.*</c>.</summary>
    Model,

    /// <summary>A raw FlowLM training checkpoint (keys such as <c>flow_net.*</c>, <c>condition_provider.*</c>, <c>fuser.padding_value</c>).</summary>
    RawFlowLm,

    /// <summary>A raw Mimi training checkpoint (keys such as <c>encoder.model.*</c>, weight-normed <c>weight_g</c>/<c>weight_v</c> pairs).</summary>
    RawMimi,
}
