using System.Text.Json;
using PocketTts.Audio;
using PocketTts.Host.Cli;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Cli;

public sealed class QuantizeCommandTests : IDisposable
{
    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static string TinyWeights => Path.Combine(Path.GetDirectoryName(CliTestHost.TinyConfig)!, "model.safetensors");

    /// <summary>A copy of the tiny configuration whose weights are <paramref name="weights"/> (absolute paths inside).</summary>
    private string ConfigFor(string weights)
    {
        string folder = Path.GetDirectoryName(CliTestHost.TinyConfig)!;
        string yaml = File.ReadAllText(CliTestHost.TinyConfig)
            .Replace("weights_path: model.safetensors", $"weights_path: {weights}", StringComparison.Ordinal)
            .Replace("weights_path_without_voice_cloning: model.safetensors", $"weights_path_without_voice_cloning: {weights}", StringComparison.Ordinal)
            .Replace("../tokenizer.model", Path.GetFullPath(Path.Combine(folder, "../tokenizer.model")), StringComparison.Ordinal);
        string path = _host.PathOf("int8.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task Quantize_writes_int8_layers_with_scales_and_metadata_and_the_file_generates()
    {
        string int8 = _host.PathOf("model_int8.safetensors");
        CliResult quantize = await _host.RunAsync(["quantize", "--input", TinyWeights, "--output", int8]);

        quantize.ExitCode.ShouldBe(0, quantize.ToString());
        quantize.Error.ShouldContain("attention, ffn in int8");
        using (SafeTensorsFile file = SafeTensorsFile.Open(int8))
        {
            file["flow_lm.transformer.layers.0.linear1.weight"].DType.ShouldBe(TensorDType.I8);
            file["flow_lm.transformer.layers.0.self_attn.in_proj.weight"].DType.ShouldBe(TensorDType.I8);
            file["flow_lm.transformer.layers.0.linear1.weight_scale"].DType.ShouldBe(TensorDType.F32);
            file["flow_lm.flow_net.input_proj.weight"].DType.ShouldBe(TensorDType.F32, "flow_net is not in the default groups");
            file.Names.Where(n => n.StartsWith("mimi.", StringComparison.Ordinal)).ShouldAllBe(n => file[n].DType != TensorDType.I8);
            using JsonDocument metadata = JsonDocument.Parse(file.Metadata[WeightQuantizer.MetadataKey]);
            metadata.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetString()).ShouldBe(["attention", "ffn"]);
        }

        string output = _host.PathOf("int8.wav");
        CliResult generate = await _host.RunAsync(["generate", "--text", "Hello world!", "--config", ConfigFor(int8), "--voice",
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "voice_state.safetensors"), "--output-path", output, "-q", "--seed", "1"]);
        generate.ExitCode.ShouldBe(0, generate.ToString());
        WavReader.Read(File.ReadAllBytes(output)).Samples.Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Generate_with_quantize_at_load_sounds_close_to_float()
    {
        string[] Args(string output) => ["generate", "--text", "Hello world!", "--config", CliTestHost.TinyConfig, "--voice",
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "voice_state.safetensors"), "--temperature", "0", "--output-path", output, "-q"];
        CliResult plain = await _host.RunAsync(Args(_host.PathOf("f32.wav")));
        CliResult quantized = await _host.RunAsync([.. Args(_host.PathOf("i8.wav")), "--quantize"]);

        plain.ExitCode.ShouldBe(0, plain.ToString());
        quantized.ExitCode.ShouldBe(0, quantized.ToString());
        float[] f32 = WavReader.Read(File.ReadAllBytes(_host.PathOf("f32.wav"))).Samples;
        float[] i8 = WavReader.Read(File.ReadAllBytes(_host.PathOf("i8.wav"))).Samples;
        i8.ShouldNotBe(f32);
        i8.Length.ShouldBeInRange(f32.Length / 2, f32.Length * 2);
    }

    [Fact]
    public async Task The_flow_net_group_is_converted_when_asked()
    {
        string int8 = _host.PathOf("all.safetensors");
        CliResult result = await _host.RunAsync(["quantize", "--input", TinyWeights, "--output", int8, "--layers", "flow_net, ffn", "-q"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Error.ShouldBeEmpty();
        using SafeTensorsFile file = SafeTensorsFile.Open(int8);
        file["flow_lm.flow_net.input_proj.weight"].DType.ShouldBe(TensorDType.I8);
        file["flow_lm.transformer.layers.0.self_attn.out_proj.weight"].DType.ShouldBe(TensorDType.F32);
    }

    [Fact]
    public async Task Bad_input_is_a_one_line_error_and_writes_nothing()
    {
        string int8 = _host.PathOf("q.safetensors");
        (await _host.RunAsync(["quantize", "--input", TinyWeights, "--output", int8])).ExitCode.ShouldBe(0);

        var cases = new (string[] Args, string Message)[]
        {
            (["quantize", "--input", TinyWeights, "--output", _host.PathOf("x.safetensors"), "--layers", "mimi"], "Unknown layer group 'mimi'"),
            (["quantize", "--input", TinyWeights, "--output", _host.PathOf("x.safetensors"), "--layers", ","], "--layers names no layer group"),
            (["quantize", "--input", _host.PathOf("missing.safetensors"), "--output", _host.PathOf("x.safetensors")], "missing.safetensors"),
            (["quantize", "--input", int8, "--output", _host.PathOf("x.safetensors")], "is already quantized"),
            (["quantize", "--output", _host.PathOf("x.safetensors")], "--input"),
        };
        foreach ((string[] args, string message) in cases)
        {
            CliResult result = await _host.RunAsync(args);
            result.ExitCode.ShouldNotBe(0, string.Join(' ', args));
            result.Error.ShouldContain(message);
            result.Error.ShouldNotContain("   at ");
        }
        File.Exists(_host.PathOf("x.safetensors")).ShouldBeFalse();
    }

    [Fact]
    public void Group_names_are_case_insensitive_and_combine()
    {
        QuantizeCommand.ParseGroups("Attention,FFN").ShouldBe(QuantizationGroups.Recommended);
        QuantizeCommand.ParseGroups("flow_net").ShouldBe(QuantizationGroups.FlowNet);
    }
}
