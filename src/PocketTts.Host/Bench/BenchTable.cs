using System.Globalization;
using System.Text;

namespace PocketTts.Host.Bench;

/// <summary>The results as a table: one row per measurement, one column per backend run.</summary>
internal static class BenchTable
{
    private const int LabelWidth = 22;
    private const int ColumnWidth = 24;

    public static void Write(TextWriter output, IReadOnlyList<BenchResult> results, BenchSettings settings, bool separateProcesses, CpuIdentity cpu)
    {
        int cores = settings.Threads == 0 ? Environment.ProcessorCount : settings.Threads;
        output.WriteLine($"full-size {results[0].Model} model, {results[0].Parameters / 1e6:F1}M parameters, {settings.Frames} frames, {settings.TextTokens} text tokens, {settings.VoiceSeconds:0.#} s voice, " +
                         $"{cores} core(s), median (min–max) of {settings.Repetitions}");
        output.WriteLine($"CPU: {cpu}");
        foreach (BenchResult r in results)
        {
            output.WriteLine($"{r.Backend} kernels: {r.Kernels ?? "not reported by the backend"}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Backend} peak on {r.Peak.Threads} thread(s): {Width(r.Peak.VectorBits)} FMA {r.Peak.FmaGflops:F1} GFLOP/s, read {r.Peak.ReadGBytesPerSecond:F1} GB/s ({r.Peak.ReadBufferMb:F0} MB)"));
        }
        Row(output, "", results, r => r.Backend + (r.Quantized ? " int8" : ""));
        Row(output, "load ms", results, r => r.LoadMs.ToString("F0", CultureInfo.InvariantCulture));
        Row(output, "voice prompt ms", results, r => r.Spread["voice_prompt_ms"].ToString().Trim());
        Row(output, "  GFLOP/s of peak", results, r => Rate(StageWork.Gflops(r.Work.VoicePromptMultiplyAdds, r.VoicePromptMs), r.Peak.FmaGflops));
        Row(output, "text prompt ms", results, r => r.Spread["text_prompt_ms"].ToString().Trim());
        Row(output, "  GFLOP/s of peak", results, r => Rate(StageWork.Gflops(r.Work.TextPromptMultiplyAdds, r.TextPromptMs), r.Peak.FmaGflops));
        Row(output, "FlowLM step ms", results, r => r.Spread["flow_step_ms"].ToString().Trim());
        Row(output, "  GB/s of peak", results, r => Rate(StageWork.GBytesPerSecond(r.Work.FlowStepBytes, r.FlowStepMs), r.Peak.ReadGBytesPerSecond));
        Row(output, "Mimi frame ms", results, r => r.Spread["mimi_frame_ms"].ToString().Trim());
        Row(output, "  GFLOP/s of peak", results, r => Rate(StageWork.Gflops(r.Work.MimiFrameMultiplyAdds, r.MimiFrameMs), r.Peak.FmaGflops));
        Row(output, "first chunk ms", results, r => r.Spread["first_chunk_ms"].ToString().Trim());
        Row(output, "RTF", results, r => string.Create(CultureInfo.InvariantCulture, $"{r.Spread["rtf"].Median:F2}× ({r.Spread["rtf"].Min:F2}–{r.Spread["rtf"].Max:F2})"));
        if (results.Any(r => r.Streams is not null))
        {
            Row(output, $"{settings.Streams} streams RTF", results, r => r.Streams is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"slowest {s.SlowestRtf:F2}×, median {s.MedianRtf:F2}×")
                : "-");
            Row(output, $"{settings.Streams} streams 1st chunk", results, r => r.Streams is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"median {s.FirstChunkMsMedian:F0} ms, max {s.FirstChunkMsMax:F0} ms")
                : "-");
        }
        if (results.Any(r => r.TextStream is not null))
        {
            Row(output, "text stream 1st ms", results, r => r.TextStream is { } t
                ? string.Create(CultureInfo.InvariantCulture, $"p50 {t.FirstChunkMsP50:F0}, p95 {t.FirstChunkMsP95:F0}")
                : "-");
            Row(output, "text stream later ms", results, r => r.TextStream is { } t
                ? string.Create(CultureInfo.InvariantCulture, $"p50 {t.LaterChunkMsP50:F0}, p95 {t.LaterChunkMsP95:F0}")
                : "-");
        }
        Row(output, "peak working set MB", results, r => r.PeakWorkingSetMb.ToString("F0", CultureInfo.InvariantCulture));
        if (results.Any(r => r.Int8SnrDb is not null))
        {
            Row(output, "int8 SNR dB l/h/a", results, r => r.Int8SnrDb is { } snr
                ? string.Create(CultureInfo.InvariantCulture, $"{snr["latent"]:F1} / {snr["hidden"]:F1} / {snr["audio"]:F1}")
                : "-");
        }
        output.WriteLine(separateProcesses
            ? "peak working set: of the child process that measured that backend alone (one process per backend)"
            : "peak working set: of this process, which measured this backend alone");
    }

    /// <summary>"achieved of peak (percent)", for example "18.2 of 19.0 (96%)".</summary>
    internal static string Rate(double achieved, double peak) =>
        string.Create(CultureInfo.InvariantCulture, $"{achieved:F1} of {peak:F1} ({100 * achieved / peak:F0}%)");

    /// <summary>"512-bit", "256-bit", "128-bit" or "scalar".</summary>
    internal static string Width(int vectorBits) => vectorBits <= 32 ? "scalar" : $"{vectorBits}-bit";

    private static void Row(TextWriter output, string label, IReadOnlyList<BenchResult> results, Func<BenchResult, string> cell)
    {
        var line = new StringBuilder(label.PadRight(LabelWidth));
        foreach (BenchResult result in results)
            line.Append(cell(result).PadRight(ColumnWidth));
        output.WriteLine(line.ToString().TrimEnd());
    }
}
