using System.Text.Json;
using PocketTts.Backends.Onnx.Runtime;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// <c>bundle.json</c> of a community ONNX bundle (the layout of KevinAHM/pocket-tts-onnx-export, published as
/// KevinAHM/pocket-tts-onnx): the sizes, the voice-cloning extras and the state manifests of the stateful graphs.
/// Graphs: text_conditioner, flow_lm_main, flow_lm_flow, mimi_encoder, mimi_decoder (each also as <c>*_int8.onnx</c>
/// when the bundle was quantized).
/// </summary>
/// <param name="Directory">The bundle's folder.</param>
/// <param name="SamplesPerFrame">Audio samples per latent frame (1920).</param>
/// <param name="LatentDim">FlowLM latent width (32).</param>
/// <param name="ConditioningDim">FlowLM width, also the width of the Mimi encoder's (projected) latents.</param>
/// <param name="InsertBosBeforeVoice">Whether a learned row precedes the voice prompt.</param>
/// <param name="TokenizerFile">The SentencePiece model, relative to the folder.</param>
/// <param name="BosBeforeVoiceFile">The .npy file of that row, relative to the folder, or null.</param>
/// <param name="FlowLmStates">flow_lm_main's states, in graph order.</param>
/// <param name="MimiStates">mimi_decoder's states, in graph order.</param>
internal sealed record CommunityBundle(
    string Directory, int SamplesPerFrame, int LatentDim, int ConditioningDim, bool InsertBosBeforeVoice,
    string TokenizerFile, string? BosBeforeVoiceFile, StateEntry[] FlowLmStates, StateEntry[] MimiStates)
{
    public const string FileName = "bundle.json";

    /// <summary>The newest bundle.json schema this reader knows (the exporter writes 2).</summary>
    public const int MaxSchemaVersion = 2;

    /// <summary>Whether <paramref name="directory"/> holds a community bundle (a bundle.json).</summary>
    public static bool IsBundle(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>bundle.json's full path.</summary>
    public string ManifestPath => Path.Combine(Directory, FileName);

    /// <summary>
    /// The file of graph <paramref name="name"/>: <c>name_int8.onnx</c> when <paramref name="quantize"/> and it
    /// exists, or when it is the only one (some published bundles carry only the int8 graphs); else <c>name.onnx</c>.
    /// </summary>
    public string GraphFile(string name, bool quantize)
    {
        string plain = name + ".onnx", int8 = name + "_int8.onnx";
        bool hasInt8 = File.Exists(Path.Combine(Directory, int8));
        return hasInt8 && (quantize || !File.Exists(Path.Combine(Directory, plain))) ? int8 : plain;
    }

    /// <summary>The BOS-before-voice row [ConditioningDim], or null when the model has none.</summary>
    /// <exception cref="InvalidDataException">The .npy file is missing, unreadable or not ConditioningDim values.</exception>
    public float[]? BosBeforeVoice()
    {
        if (!InsertBosBeforeVoice)
            return null;
        if (BosBeforeVoiceFile is null)
            throw new InvalidDataException($"{ManifestPath}: insert_bos_before_voice is true but bos_before_voice_file is null.");
        string path = Path.Combine(Directory, BosBeforeVoiceFile);
        if (!File.Exists(path))
            throw new InvalidDataException($"{ManifestPath}: bos_before_voice_file {path} is missing.");
        (int[] shape, float[] values) = NpyReader.ReadFloat32(path);
        if (values.Length != ConditioningDim)
            throw new InvalidDataException($"{path} has shape ({string.Join(", ", shape)}); the BOS-before-voice row must hold conditioning_dim = {ConditioningDim} values.");
        return values;
    }

    /// <summary>Reads and checks <c>bundle.json</c> in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON, or a field is missing or wrong; the message names the file and the field.</exception>
    public static CommunityBundle Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        using JsonDocument document = Parse(path);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: the top level is not a JSON object.");
        var reader = new Reader(path, root);
        int schema = reader.OptionalInt("schema_version") ?? MaxSchemaVersion;
        if (schema > MaxSchemaVersion)
            throw new InvalidDataException($"{path}: schema_version {schema} is newer than this reader ({MaxSchemaVersion}).");
        bool bos = reader.OptionalBool("insert_bos_before_voice") ?? false;
        return new CommunityBundle(
            directory,
            reader.PositiveInt("samples_per_frame"),
            reader.PositiveInt("latent_dim"),
            reader.PositiveInt("conditioning_dim"),
            bos,
            reader.OptionalString("tokenizer_file") ?? "tokenizer.model",
            reader.OptionalString("bos_before_voice_file"),
            reader.States("flow_lm_state_manifest"),
            reader.States("mimi_state_manifest"));
    }

    private static JsonDocument Parse(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The community bundle has no {FileName}: {path}.", path);
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Typed access to bundle.json's fields, with errors that name the file and the field.</summary>
    private sealed class Reader(string path, JsonElement root)
    {
        public int PositiveInt(string name)
        {
            int value = OptionalInt(name) ?? throw Error(name, "is missing");
            return value > 0 ? value : throw Error(name, $"is {value}; it must be positive");
        }

        public int? OptionalInt(string name) =>
            Get(name) is not { } e ? null
            : e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v
            : throw Error(name, $"is {e.GetRawText()}, not an integer");

        public bool? OptionalBool(string name) =>
            Get(name) is not { } e ? null
            : e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean()
            : throw Error(name, $"is {e.GetRawText()}, not true or false");

        public string? OptionalString(string name) =>
            Get(name) is not { } e ? null
            : e.ValueKind == JsonValueKind.String ? e.GetString()
            : throw Error(name, $"is {e.GetRawText()}, not a string");

        public StateEntry[] States(string name)
        {
            JsonElement array = Get(name) ?? throw Error(name, "is missing (export the bundle with the state manifests)");
            if (array.ValueKind != JsonValueKind.Array)
                throw Error(name, "is not an array");
            var entries = new StateEntry[array.GetArrayLength()];
            int i = 0;
            foreach (JsonElement item in array.EnumerateArray())
            {
                entries[i] = State(name, i, item);
                i++;
            }
            return entries;
        }

        private StateEntry State(string manifest, int i, JsonElement item)
        {
            string at = $"{manifest}[{i}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw Error(at, "is not an object");
            var entry = new Reader(path, item);
            string module = entry.OptionalString("module") ?? throw Error(at, "has no module");
            string key = entry.OptionalString("key") ?? throw Error(at, "has no key");
            at = $"{at} ({module}/{key})";
            StateDtype dtype = entry.OptionalString("dtype") switch
            {
                "float32" => StateDtype.Float32,
                "int64" => StateDtype.Int64,
                "bool" => StateDtype.Bool,
                var other => throw Error(at, $"has dtype '{other}'; float32, int64 and bool are supported"),
            };
            StateFill fill = entry.OptionalString("fill") switch
            {
                "zeros" => StateFill.Zeros,
                "ones" => StateFill.Ones,
                "nan" when dtype == StateDtype.Float32 => StateFill.NaN,
                "empty" => StateFill.Empty,
                var other => throw Error(at, $"has fill '{other}' for dtype {dtype}; zeros, ones, nan (float32 only) and empty are supported"),
            };
            JsonElement shapeElement = item.TryGetProperty("shape", out JsonElement s) && s.ValueKind == JsonValueKind.Array
                ? s
                : throw Error(at, "has no shape array");
            int[] shape = [.. shapeElement.EnumerateArray().Select(d =>
                d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int n) && n >= 0 ? n : throw Error(at, $"has a shape dimension {d.GetRawText()} that is not a size"))];
            bool empty = shape.Contains(0);
            if (empty != (fill == StateFill.Empty))
                throw Error(at, $"has shape [{string.Join(", ", shape)}] and fill '{fill}': exactly the tensors without elements are 'empty'");
            if (entry.OptionalInt("index") is { } index && index != i)
                throw Error(at, $"has index {index} at position {i}");
            return new StateEntry(module, key, dtype, shape, fill,
                entry.OptionalString("input_name") ?? $"state_{i}",
                entry.OptionalString("output_name") ?? $"out_state_{i}");
        }

        private JsonElement? Get(string name) =>
            root.TryGetProperty(name, out JsonElement e) && e.ValueKind != JsonValueKind.Null ? e : null;

        private InvalidDataException Error(string field, string problem) => new($"{path}: {field} {problem}.");
    }
}
