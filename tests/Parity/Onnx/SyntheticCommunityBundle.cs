using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using PocketTts.Graphs.Onnx;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tokenizer;
using DataType = PocketTts.Graphs.Onnx.Protos.TensorProto.Types.DataType;

namespace PocketTts.Tests.Parity.Onnx;

/// <summary>
/// A tiny bundle in the community layout (KevinAHM/pocket-tts-onnx-export): bundle.json with its state manifests,
/// tokenizer.model, bos_before_voice.npy and the five graphs, written with <see cref="GraphBuilder"/>. The graphs
/// are not a model: their outputs are simple known functions of their inputs, so a test can tell which state reached
/// which input and what was carried from call to call.
/// <list type="bullet">
/// <item>flow_lm_main: per layer i, <c>cache' = isnan(cache) ? C_i : cache + rows</c> (C_i = 100(i+1) for keys,
/// 100(i+1) + 50 for values; rows = S + N), <c>step' = step + rows</c>, <c>current_end' = current_end</c> (empty);
/// <c>conditioning</c> = first row of [text; sequence·W] (its last S rows when S &gt; 0, as backbone slices), with
/// NaN → <see cref="Bos"/> and W = [[1,0,1,0],[0,1,0,1]], plus layer 0's step before the call;
/// <c>eos_logit</c> = the sum of conditioning.</item>
/// <item>flow_lm_flow: <c>flow_dir = c[:2] + s + 2t + x/2</c>.</item>
/// <item>text_conditioner: row r of the table is [10r, 10r + 1, 10r + 2, 10r + 3] (×2 in text_conditioner_int8).</item>
/// <item>mimi_encoder: latent (frame f, j) = (j + 1) · the sum of frame f's samples.</item>
/// <item>mimi_decoder: audio[k] = k + Σlatent + 100·first + 10·offset + Σ(isnan(cache) ? −1 : cache) + Σprevious;
/// first' = false, previous' = previous + Σlatent, cache' = (isnan(cache) ? 0 : cache) + 1, offset' = offset + 1.</item>
/// </list>
/// </summary>
internal static class SyntheticCommunityBundle
{
    public const int Dim = 4, LatentDim = 2, Layers = 12, HeadDim = 2, Capacity = 8, FrameSamples = 8;
    public const float Bos = 7f;

    /// <summary>The BOS-before-voice row written to bos_before_voice.npy.</summary>
    public static readonly float[] BosBeforeVoice = [-1f, -2f, -3f, -4f];

    /// <summary>Mimi decoder states: (module, key, dtype, shape, fill), in sorted order.</summary>
    public static readonly (string Module, string Key, string Dtype, int[] Shape, string Fill)[] MimiStates =
    [
        ("decoder.model.0.conv", "first", "bool", [1], "ones"),
        ("decoder.model.0.conv", "previous", "float32", [1, 2, 3], "zeros"),
        ("decoder_transformer.layers.0.self_attn", "cache", "float32", [2, 1, 4, 1, 2], "nan"),
        ("decoder_transformer.layers.0.self_attn", "offset", "int64", [1], "zeros"),
    ];

    /// <summary>Module paths of the FlowLM layers in the exporter's order (sorted as strings: 0, 1, 10, 11, 2, …).</summary>
    public static string[] SortedLayerModules =>
        [.. Enumerable.Range(0, Layers).Select(i => $"transformer.layers.{i}.self_attn").Order(StringComparer.Ordinal)];

    /// <summary>Rows of the text table: the fixture tokenizer's vocabulary plus the padding row.</summary>
    public static int TableRows => SentencePieceTokenizer.Load(Fixture.PathOf("tokenizer.model")).VocabSize + 1;

    /// <summary>Cache key value of layer <paramref name="layer"/> for a row first written by the graph.</summary>
    public static float KeyFill(int layer) => 100f * (layer + 1);

    /// <summary>Cache value value of layer <paramref name="layer"/> for a row first written by the graph.</summary>
    public static float ValueFill(int layer) => (100f * (layer + 1)) + 50f;

    /// <summary>
    /// Writes the bundle into <paramref name="directory"/> with caches of <paramref name="capacity"/> positions;
    /// <paramref name="graphCapacity"/> is the cache length the flow_lm_main graph declares (by default the same).
    /// </summary>
    public static void Write(string directory, int capacity = Capacity, int? graphCapacity = null, bool int8 = false)
    {
        Directory.CreateDirectory(directory);
        File.Copy(Fixture.PathOf("tokenizer.model"), Path.Combine(directory, "tokenizer.model"), overwrite: true);
        WriteNpy(Path.Combine(directory, "bos_before_voice.npy"), BosBeforeVoice, 1, 1, Dim);
        File.WriteAllText(Path.Combine(directory, "bundle.json"), BundleJson(capacity).ToJsonString());
        Save(directory, "flow_lm_main", FlowLmMain(graphCapacity ?? capacity));
        Save(directory, "flow_lm_flow", FlowLmFlow());
        Save(directory, "text_conditioner", TextConditioner(1f));
        Save(directory, "mimi_encoder", MimiEncoder());
        Save(directory, "mimi_decoder", MimiDecoder());
        if (int8)
            Save(directory, "text_conditioner_int8", TextConditioner(2f));
    }

    /// <summary>bundle.json as the exporter writes it (sorted keys, state manifests with index and names).</summary>
    public static JsonObject BundleJson(int capacity = Capacity)
    {
        var flow = new List<(string, string, string, int[], string)>();
        foreach (string module in SortedLayerModules)
        {
            flow.Add((module, "cache", "float32", [2, 1, capacity, 1, HeadDim], "nan"));
            flow.Add((module, "current_end", "float32", [0], "empty"));
            flow.Add((module, "step", "int64", [1], "zeros"));
        }
        return new JsonObject
        {
            ["bos_before_voice_file"] = "bos_before_voice.npy",
            ["bundle_name"] = "synthetic",
            ["conditioning_dim"] = Dim,
            ["flow_lm_state_manifest"] = Manifest(flow),
            ["frame_rate"] = 12.5,
            ["insert_bos_before_voice"] = true,
            ["language"] = "synthetic",
            ["latent_dim"] = LatentDim,
            ["mimi_state_manifest"] = Manifest(MimiStates),
            ["sample_rate"] = 24000,
            ["samples_per_frame"] = FrameSamples,
            ["schema_version"] = 2,
            ["tokenizer_file"] = "tokenizer.model",
        };
    }

    private static JsonArray Manifest(IEnumerable<(string Module, string Key, string Dtype, int[] Shape, string Fill)> states)
    {
        var array = new JsonArray();
        int index = 0;
        foreach ((string module, string key, string dtype, int[] shape, string fill) in states)
        {
            array.Add(new JsonObject
            {
                ["dtype"] = dtype,
                ["fill"] = fill,
                ["index"] = index,
                ["input_name"] = $"state_{index}",
                ["key"] = key,
                ["module"] = module,
                ["output_name"] = $"out_state_{index}",
                ["path"] = $"{module}/{key}",
                ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]),
            });
            index++;
        }
        return array;
    }

    /// <summary>A float32 array as np.save writes it (format version 1).</summary>
    public static void WriteNpy(string path, float[] values, params int[] shape)
    {
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.Latin1.GetBytes(header));
        foreach (float v in values)
            stream.Write(BitConverter.GetBytes(v));
    }

    private static void Save(string directory, string name, GraphBuilder graph)
    {
        using FileStream file = File.Create(Path.Combine(directory, name + ".onnx"));
        graph.ToModel().WriteTo(file);
    }

    private static GraphBuilder FlowLmMain(int graphCapacity)
    {
        var b = new GraphBuilder("flow_lm_main");
        b.Input("sequence", DataType.Float, 1L, "seq_len", (long)LatentDim);
        b.Input("text_embeddings", DataType.Float, 1L, "text_len", (long)Dim);
        string s = Dimension(b, "sequence", 1), n = Dimension(b, "text_embeddings", 1);
        string rows = b.Node("Add", [s, n]);
        string rowsF = b.Node("Cast", [rows], Attr.Int("to", (long)DataType.Float));

        int index = 0;
        string? layer0Step = null;
        foreach (string module in SortedLayerModules)
        {
            int layer = int.Parse(module.Split('.')[2], CultureInfo.InvariantCulture);
            long[] cacheShape = [2, 1, graphCapacity, 1, HeadDim];
            int half = graphCapacity * HeadDim;
            float[] fill = [.. Enumerable.Repeat(KeyFill(layer), half), .. Enumerable.Repeat(ValueFill(layer), half)];

            string cache = State(b, index, DataType.Float, cacheShape);
            string written = b.Node("Add", [cache, rowsF]);
            b.NodeTo("Where", [b.Node("IsNaN", [cache]), b.Floats("fill", fill, cacheShape), written], $"out_state_{index}");
            index++;

            string currentEnd = State(b, index, DataType.Float, [0]);
            b.NodeTo("Identity", [currentEnd], $"out_state_{index}");
            index++;

            string step = State(b, index, DataType.Int64, [1]);
            b.NodeTo("Add", [step, rows], $"out_state_{index}");
            if (layer == 0)
                layer0Step = step;
            index++;
        }

        string sequence = b.Node("Where", [b.Node("IsNaN", ["sequence"]), b.FloatScalar(Bos), "sequence"]);
        string projected = b.Node("MatMul", [sequence, b.Floats("w", [1, 0, 1, 0, 0, 1, 0, 1], LatentDim, Dim)]);
        string combined = b.Node("Concat", ["text_embeddings", projected], Attr.Int("axis", 1));
        // backbone keeps transformer_out[:, -S:], which is every row when S = 0.
        string start = b.Node("Where", [b.Node("Greater", [s, b.Int64Scalar(0)]), n, b.Int64Scalar(0)]);
        string sliced = b.Node("Slice", [combined, b.Node("Unsqueeze", [start, b.Int64Vector(0)]), b.Int64Vector(long.MaxValue), b.Int64Vector(1)]);
        string augmented = b.Node("Concat", [sliced, b.Floats("dummy", new float[Dim], 1, 1, Dim)], Attr.Int("axis", 1));
        string first = b.Node("Gather", [augmented, b.Int64Scalar(0)], Attr.Int("axis", 1));
        b.NodeTo("Add", [first, b.Node("Cast", [layer0Step!], Attr.Int("to", (long)DataType.Float))], "conditioning");
        b.NodeTo("ReduceSum", ["conditioning", b.Int64Vector(1)], "eos_logit");
        b.Output("conditioning", DataType.Float, 1L, (long)Dim);
        b.Output("eos_logit", DataType.Float, 1L, 1L);
        DeclareStateOutputs(b, index, i => (i % 3) switch
        {
            0 => (DataType.Float, new long[] { 2, 1, graphCapacity, 1, HeadDim }),
            1 => (DataType.Float, new long[] { 0 }),
            _ => (DataType.Int64, new long[] { 1 }),
        });
        return b;
    }

    private static GraphBuilder FlowLmFlow()
    {
        var b = new GraphBuilder("flow_lm_flow");
        b.Input("c", DataType.Float, "batch", (long)Dim);
        b.Input("s", DataType.Float, "batch", 1L);
        b.Input("t", DataType.Float, "batch", 1L);
        b.Input("x", DataType.Float, "batch", (long)LatentDim);
        string c = b.Node("Slice", ["c", b.Int64Vector(0), b.Int64Vector(LatentDim), b.Int64Vector(1)]);
        string sum = b.Node("Add", [b.Node("Add", [c, "s"]), b.Node("Mul", ["t", b.FloatScalar(2f)])]);
        b.NodeTo("Add", [sum, b.Node("Mul", ["x", b.FloatScalar(0.5f)])], "flow_dir");
        b.Output("flow_dir", DataType.Float, "batch", (long)LatentDim);
        return b;
    }

    private static GraphBuilder TextConditioner(float scale)
    {
        var b = new GraphBuilder("text_conditioner");
        int rows = TableRows;
        var table = new float[rows * Dim];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < Dim; j++)
                table[(r * Dim) + j] = scale * ((10f * r) + j);
        }
        b.Input("token_ids", DataType.Int64, 1L, "seq_len");
        b.NodeTo("Gather", [b.Floats("table", table, rows, Dim), "token_ids"], "embeddings");
        b.Output("embeddings", DataType.Float, 1L, "seq_len", (long)Dim);
        return b;
    }

    private static GraphBuilder MimiEncoder()
    {
        var b = new GraphBuilder("mimi_encoder");
        b.Input("audio", DataType.Float, 1L, 1L, "audio_len");
        string frames = b.Node("Reshape", ["audio", b.Int64Vector(1, -1, FrameSamples)]);
        string sums = b.Node("ReduceSum", [frames, b.Int64Vector(2)]);
        b.NodeTo("Mul", [sums, b.Floats("weights", [1, 2, 3, 4], Dim)], "latents");
        b.Output("latents", DataType.Float, 1L, "frames", (long)Dim);
        return b;
    }

    private static GraphBuilder MimiDecoder()
    {
        var b = new GraphBuilder("mimi_decoder");
        b.Input("latent", DataType.Float, 1L, "seq_len", (long)LatentDim);
        string first = State(b, 0, DataType.Bool, [1]);
        string previous = State(b, 1, DataType.Float, [1, 2, 3]);
        string cache = State(b, 2, DataType.Float, [2, 1, 4, 1, 2]);
        string offset = State(b, 3, DataType.Int64, [1]);

        string isNaN = b.Node("IsNaN", [cache]);
        string latentSum = b.Node("ReduceSum", ["latent"], Attr.Int("keepdims", 0));
        string terms = b.Node("Add", [
            b.Node("Add", [latentSum, b.Node("Mul", [b.Node("Cast", [first], Attr.Int("to", (long)DataType.Float)), b.FloatScalar(100f)])]),
            b.Node("Mul", [b.Node("Cast", [offset], Attr.Int("to", (long)DataType.Float)), b.FloatScalar(10f)]),
        ]);
        string history = b.Node("Add", [
            b.Node("ReduceSum", [b.Node("Where", [isNaN, b.FloatScalar(-1f), cache])], Attr.Int("keepdims", 0)),
            b.Node("ReduceSum", [previous], Attr.Int("keepdims", 0)),
        ]);
        float[] ramp = [.. Enumerable.Range(0, FrameSamples).Select(k => (float)k)];
        b.NodeTo("Add", [b.Floats("ramp", ramp, 1, 1, FrameSamples), b.Node("Add", [terms, history])], "audio_frame");

        b.NodeTo("Xor", [first, first], "out_state_0");
        b.NodeTo("Add", [previous, latentSum], "out_state_1");
        b.NodeTo("Add", [b.Node("Where", [isNaN, b.FloatScalar(0f), cache]), b.FloatScalar(1f)], "out_state_2");
        b.NodeTo("Add", [offset, b.Int64Vector(1)], "out_state_3");

        b.Output("audio_frame", DataType.Float, 1L, 1L, (long)FrameSamples);
        DeclareStateOutputs(b, 4, i => i switch
        {
            0 => (DataType.Bool, new long[] { 1 }),
            1 => (DataType.Float, new long[] { 1, 2, 3 }),
            2 => (DataType.Float, new long[] { 2, 1, 4, 1, 2 }),
            _ => (DataType.Int64, new long[] { 1 }),
        });
        return b;
    }

    /// <summary>Declares input state_<paramref name="index"/> and returns its name.</summary>
    private static string State(GraphBuilder b, int index, DataType type, long[] shape)
    {
        string name = $"state_{index}";
        b.Input(name, type, [.. shape.Cast<object>()]);
        return name;
    }

    private static void DeclareStateOutputs(GraphBuilder b, int count, Func<int, (DataType Type, long[] Shape)> spec)
    {
        for (int i = 0; i < count; i++)
        {
            (DataType type, long[] shape) = spec(i);
            b.Output($"out_state_{i}", type, [.. shape.Cast<object>()]);
        }
    }

    /// <summary>Dimension <paramref name="axis"/> of <paramref name="input"/> as an int64 scalar.</summary>
    private static string Dimension(GraphBuilder b, string input, long axis) =>
        b.Node("Gather", [b.Node("Shape", [input]), b.Int64Scalar(axis)], Attr.Int("axis", 0));
}
