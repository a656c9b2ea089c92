using System.Text.Json.Serialization;

namespace PocketTts.Host.Bench;

/// <summary>A median and the spread (min–max) of repeated measurements, in milliseconds.</summary>
internal sealed record Measure([property: JsonPropertyName("median")] double Median, [property: JsonPropertyName("min")] double Min, [property: JsonPropertyName("max")] double Max)
{
    public static Measure Of(IReadOnlyCollection<double> samples)
    {
        double[] sorted = [.. samples.Order()];
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new Measure(median, sorted[0], sorted[^1]);
    }

    public override string ToString() => $"{Median,8:F1} ({Min:F1}–{Max:F1})";
}

/// <summary>One backend's results; the JSON names are the ones the benchmark documents.</summary>
internal sealed record BenchResult
{
    [JsonPropertyName("backend")] public required string Backend { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("threads")] public required int Threads { get; init; }
    [JsonPropertyName("quantized")] public required bool Quantized { get; init; }
    [JsonPropertyName("parameters")] public required long Parameters { get; init; }
    [JsonPropertyName("frames")] public required int Frames { get; init; }
    [JsonPropertyName("text_tokens")] public required int TextTokens { get; init; }
    [JsonPropertyName("voice_seconds")] public required double VoiceSeconds { get; init; }
    [JsonPropertyName("load_ms")] public required double LoadMs { get; init; }
    [JsonPropertyName("voice_prompt_ms")] public required double VoicePromptMs { get; init; }
    [JsonPropertyName("text_prompt_ms")] public required double TextPromptMs { get; init; }
    [JsonPropertyName("flow_step_ms")] public required double FlowStepMs { get; init; }
    [JsonPropertyName("mimi_frame_ms")] public required double MimiFrameMs { get; init; }
    [JsonPropertyName("first_chunk_ms")] public required double FirstChunkMs { get; init; }
    [JsonPropertyName("rtf")] public required double Rtf { get; init; }
    [JsonPropertyName("peak_working_set_mb")] public required double PeakWorkingSetMb { get; init; }
    [JsonPropertyName("spread")] public required IReadOnlyDictionary<string, Measure> Spread { get; init; }

    /// <summary>The CPU code the backend ran in the process that measured it, as the backend says; null where it does not say.</summary>
    [JsonPropertyName("kernels")] public string? Kernels { get; init; }

    /// <summary>This machine's peaks, measured by that same process at the width of <see cref="Kernels"/>.</summary>
    [JsonPropertyName("peak")] public required MachinePeak Peak { get; init; }

    /// <summary>The work of each stage measured, for its rate.</summary>
    [JsonPropertyName("work")] public required StageWork Work { get; init; }

    /// <summary>With <c>--streams</c> above 1: the generations run at once.</summary>
    [JsonPropertyName("streams")] public ConcurrentStreams? Streams { get; init; }

    /// <summary>With <c>--text-stream</c>: the latency of speech from text that is still arriving.</summary>
    [JsonPropertyName("text_stream")] public TextStreamLatency? TextStream { get; init; }

    /// <summary>With int8: signal-to-noise ratios in dB against float32 of the FlowLM latents, transformer outputs and decoded audio.</summary>
    [JsonPropertyName("int8_snr_db")] public IReadOnlyDictionary<string, double>? Int8SnrDb { get; init; }
}

/// <summary>The work of one run of each stage (<see cref="Model.ModelWork"/>): multiply-adds, and bytes of weights for the FlowLM step.</summary>
/// <param name="VoicePromptMultiplyAdds">Voice prompt: Mimi encoder, speaker projection, FlowLM prompt.</param>
/// <param name="TextPromptMultiplyAdds">Text prompt: FlowLM transformer over the tokens.</param>
/// <param name="MimiFrameMultiplyAdds">One Mimi frame, the mean over the frames decoded.</param>
/// <param name="FlowStepBytes">Bytes of weights one FlowLM step reads.</param>
internal sealed record StageWork(
    [property: JsonPropertyName("voice_prompt_multiply_adds")] long VoicePromptMultiplyAdds,
    [property: JsonPropertyName("text_prompt_multiply_adds")] long TextPromptMultiplyAdds,
    [property: JsonPropertyName("mimi_frame_multiply_adds")] double MimiFrameMultiplyAdds,
    [property: JsonPropertyName("flow_step_bytes")] long FlowStepBytes)
{
    /// <summary>GFLOP/s of <paramref name="multiplyAdds"/> done in <paramref name="milliseconds"/> (two operations each).</summary>
    public static double Gflops(double multiplyAdds, double milliseconds) => 2 * multiplyAdds / (milliseconds * 1e6);

    /// <summary>GB/s of <paramref name="bytes"/> read in <paramref name="milliseconds"/>.</summary>
    public static double GBytesPerSecond(double bytes, double milliseconds) => bytes / (milliseconds * 1e6);
}
