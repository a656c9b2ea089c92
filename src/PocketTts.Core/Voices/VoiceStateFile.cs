using System.Buffers.Binary;
using System.Globalization;
using PocketTts.IO;
using PocketTts.Stages;
using PocketTts.Weights;

namespace PocketTts.Voices;

/// <summary>
/// Voice states as safetensors, exactly as the reference's <c>export_model_state</c> writes them and
/// <c>_import_model_state</c> reads them: per FlowLM attention layer N, <c>transformer.layers.N.self_attn/cache</c>
/// (F32 [2, 1, T, heads, head_dim]: keys at index 0, values at 1) and <c>transformer.layers.N.self_attn/offset</c>
/// (I64 [1], the positions written); since 3.x also <c>transformer.layers.N.self_attn/pad</c> (I64 [1], leading
/// padding positions of a batch row, 0 for a voice), which is written and, read, must be 0. Older files carry <c>…/current_end</c> instead of the offset: a tensor whose
/// <i>length</i> is the offset (its content is ignored). A cache longer than the offset is cut to it on reading.
/// </summary>
public static class VoiceStateFile
{
    private const string LayerPrefix = "transformer.layers.";
    private const string LayerSuffix = ".self_attn";
    private const string Expected = "transformer.layers.N.self_attn/cache with /offset (or /current_end in older files)";

    /// <summary>
    /// The largest magnitude accepted in a cache. The shipped voices stay within a few hundred; beyond a million,
    /// attention scores of a 64-wide head approach float32's range, so such a file cannot be a real state.
    /// </summary>
    public const float MaxMagnitude = 1e6f;

    /// <summary>Writes a snapshot to <paramref name="path"/> atomically (temporary name in the same folder, then rename).</summary>
    /// <exception cref="IOException">The folder does not exist or cannot be written.</exception>
    public static void Write(FlowLmSnapshot snapshot, string path) => Writer(snapshot).Save(path);

    /// <summary>Writes a snapshot to <paramref name="stream"/> (for example an HTTP response).</summary>
    public static void WriteTo(FlowLmSnapshot snapshot, Stream stream) => Writer(snapshot).WriteTo(stream);

    /// <summary>The file bytes of a snapshot.</summary>
    public static byte[] ToBytes(FlowLmSnapshot snapshot) => Writer(snapshot).ToBytes();

    /// <summary>Reads a voice state file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a voice state, or holds a value that is not finite or beyond
    /// <see cref="MaxMagnitude"/>; the message says why.</exception>
    public static FlowLmSnapshot Read(string path)
    {
        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        return Read(file, path);
    }

    /// <summary>Reads a voice state from file bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a voice state, or hold a value that is not finite or beyond
    /// <see cref="MaxMagnitude"/>; the message says why.</exception>
    public static FlowLmSnapshot Read(ReadOnlyMemory<byte> bytes, string name = "<voice state>")
    {
        using SafeTensorsFile file = SafeTensorsFile.FromBytes(bytes, name);
        return Read(file, name);
    }

    /// <summary>
    /// The tensors in the order the reference's safetensors library writes them (by dtype, I64 before F32, then by
    /// name: each layer's offset, then its pad), so that a voice exported here is byte for byte the file pocket-tts
    /// 3.x writes.
    /// </summary>
    private static SafeTensorsWriter Writer(FlowLmSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var writer = new SafeTensorsWriter();
        int[] layers = [.. Enumerable.Range(0, snapshot.Layers).OrderBy(Module, StringComparer.Ordinal)];
        foreach (int layer in layers)
        {
            writer.Add(Module(layer) + "/offset", [(long)snapshot.Offset], 1);
            writer.Add(Module(layer) + "/pad", [0L], 1);
        }
        int perLayer = snapshot.Offset * snapshot.Heads * snapshot.HeadDim;
        var cache = new float[2 * perLayer];
        foreach (int layer in layers)
        {
            snapshot.Keys[layer].CopyTo(cache, 0);
            snapshot.Values[layer].CopyTo(cache, perLayer);
            writer.Add(Module(layer) + "/cache", cache, 2, 1, snapshot.Offset, snapshot.Heads, snapshot.HeadDim);
        }
        return writer;
    }

    private static string Module(int layer) => LayerPrefix + layer.ToString(CultureInfo.InvariantCulture) + LayerSuffix;

    private sealed class LayerEntry
    {
        public WeightTensor? Cache { get; set; }
        public int? Offset { get; set; }
        public string? OffsetKey { get; set; }
    }

    private static FlowLmSnapshot Read(SafeTensorsFile file, string name)
    {
        var layers = new SortedDictionary<int, LayerEntry>();
        foreach (string key in file.Names)
        {
            int layer = ParseLayer(key, name, out string stateKey);
            if (!layers.TryGetValue(layer, out LayerEntry? entry))
                layers[layer] = entry = new LayerEntry();
            WeightTensor tensor = file[key];
            switch (stateKey)
            {
                case "cache":
                    entry.Cache = tensor;
                    break;
                case "offset" or "current_end":
                    int offset = stateKey == "offset" ? ReadOffset(tensor, name) : ReadCurrentEnd(tensor, name);
                    if (entry.Offset is { } other && other != offset)
                        throw new InvalidDataException($"{name}: '{entry.OffsetKey}' says {other} positions but '{key}' says {offset}.");
                    entry.Offset = offset;
                    entry.OffsetKey = key;
                    break;
                case "pad":
                    // Since 3.x the reference stores each row's leading padding (batched generation right-aligns
                    // prompts of unequal length); one voice has none, and a padded row is not one voice's state.
                    if (ReadOffset(tensor, name) != 0)
                        throw new InvalidDataException($"{name}: '{key}' marks padding positions of a batched state; a voice state has none.");
                    break;
                default:
                    throw new InvalidDataException($"{name}: '{key}' is not part of a voice state (a layer holds cache, offset and, since 3.x, pad = 0; or current_end in older files).");
            }
        }
        if (layers.Count == 0)
            throw new InvalidDataException($"{name}: no voice-state tensors found (expected {Expected}).");
        for (int layer = 0; layer < layers.Count; layer++)
        {
            if (!layers.ContainsKey(layer))
                throw new InvalidDataException($"{name}: layer {layer} is missing (found layers {string.Join(", ", layers.Keys)}).");
        }

        int offset0 = 0, heads = 0, headDim = 0;
        var keys = new List<float[]>(layers.Count);
        var values = new List<float[]>(layers.Count);
        foreach (var (layer, entry) in layers)
        {
            if (entry.Cache is null)
                throw new InvalidDataException($"{name}: layer {layer} has no '{Module(layer)}/cache'.");
            if (entry.Offset is not int offset)
                throw new InvalidDataException($"{name}: layer {layer} has no '{Module(layer)}/offset' (nor the older '/current_end').");
            WeightTensor cache = entry.Cache;
            int[] s = cache.Shape;
            if (s.Length != 5 || s[0] != 2 || s[1] != 1 || s[3] == 0 || s[4] == 0)
                throw new InvalidDataException($"{name}: '{cache.Name}' has shape {cache.ShapeText}, expected [2, 1, positions, heads, head_dim] (keys then values, batch 1).");
            if (cache.DType is not (TensorDType.F32 or TensorDType.F16 or TensorDType.BF16))
                throw new InvalidDataException($"{name}: '{cache.Name}' has element type {cache.DType.SafeTensorsName()}; a float cache is required.");
            if (layer == 0)
                (offset0, heads, headDim) = (offset, s[3], s[4]);
            else if (offset != offset0)
                throw new InvalidDataException($"{name}: layer {layer} holds {offset} positions but layer 0 holds {offset0}.");
            else if (s[3] != heads || s[4] != headDim)
                throw new InvalidDataException($"{name}: layer {layer} has {s[3]} heads of {s[4]} features but layer 0 has {heads} heads of {headDim}.");
            if (offset > s[2])
                throw new InvalidDataException($"{name}: layer {layer} offset {offset} exceeds its cache length {s[2]}.");
            keys.Add(Finite(Positions(cache, 0, offset), cache, "keys", name));
            values.Add(Finite(Positions(cache, 1, offset), cache, "values", name));
        }
        return new FlowLmSnapshot(offset0, heads, headDim, keys, values);
    }

    /// <summary>The first <paramref name="count"/> positions of cache[<paramref name="kv"/>, 0] (the rest is unused capacity).</summary>
    private static float[] Positions(WeightTensor cache, int kv, int count)
    {
        int[] s = cache.Shape;
        int size = cache.DType.ElementSize(), perPosition = s[3] * s[4];
        int start = kv * s[2] * perPosition * size, length = count * perPosition * size;
        return WeightConversion.ToFloat32(cache with { Shape = [count, s[3], s[4]], Data = cache.Data.Slice(start, length) });
    }

    private static float[] Finite(float[] values, WeightTensor cache, string part, string name)
    {
        int bad = FiniteValues.FindOutside(values, MaxMagnitude);
        if (bad >= 0)
        {
            throw new InvalidDataException(
                $"{name}: '{cache.Name}' {part} hold {values[bad].ToString(CultureInfo.InvariantCulture)} at element {bad}; a voice state holds finite values within ±{MaxMagnitude.ToString(CultureInfo.InvariantCulture)}.");
        }
        return values;
    }

    /// <summary>N of <c>transformer.layers.N.self_attn/state</c>; rejects anything else (the reference splits at the one '/').</summary>
    private static int ParseLayer(string key, string name, out string stateKey)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        string module = slash < 0 ? key : key[..slash];
        stateKey = slash < 0 ? "" : key[(slash + 1)..];
        if (slash >= 0 && stateKey.IndexOf('/', StringComparison.Ordinal) < 0
            && module.StartsWith(LayerPrefix, StringComparison.Ordinal) && module.EndsWith(LayerSuffix, StringComparison.Ordinal)
            && module.Length > LayerPrefix.Length + LayerSuffix.Length)
        {
            string number = module[LayerPrefix.Length..^LayerSuffix.Length];
            if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int layer)
                && number == layer.ToString(CultureInfo.InvariantCulture))
            {
                return layer;
            }
        }
        throw new InvalidDataException($"{name}: '{key}' is not a voice-state tensor (expected {Expected}).");
    }

    private static int ReadOffset(WeightTensor tensor, string name)
    {
        if (tensor.DType != TensorDType.I64 || tensor.Shape is not [1])
            throw new InvalidDataException($"{name}: '{tensor.Name}' is {tensor.DType.SafeTensorsName()} {tensor.ShapeText}, expected I64 [1].");
        long offset = BinaryPrimitives.ReadInt64LittleEndian(tensor.Data.Span);
        if (offset is < 0 or > int.MaxValue)
            throw new InvalidDataException($"{name}: '{tensor.Name}' is {offset}, not a valid number of positions.");
        return (int)offset;
    }

    // _import_model_state: only the length of current_end carries the position (torch.compile once needed a shape).
    private static int ReadCurrentEnd(WeightTensor tensor, string name) => tensor.Shape is [int length]
        ? length
        : throw new InvalidDataException($"{name}: '{tensor.Name}' has shape {tensor.ShapeText}; current_end must be one-dimensional (its length is the offset).");
}
