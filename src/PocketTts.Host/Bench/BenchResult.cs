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

    /// <summary>With int8: signal-to-noise ratios in dB against float32 of the FlowLM latents, transformer outputs and decoded audio.</summary>
    [JsonPropertyName("int8_snr_db")] public IReadOnlyDictionary<string, double>? Int8SnrDb { get; init; }
}
