using System.Globalization;
using System.Runtime.InteropServices;
using PocketTts.Stages;
using PocketTts.Weights;

namespace PocketTts.Voices;

/// <summary>
/// Voice states as safetensors, exactly as the reference's <c>export_model_state</c> writes them and
/// <c>_import_model_state</c> reads them: per FlowLM attention layer, <c>transformer.layers.N.self_attn/cache</c>
/// (F32 [2, 1, T, heads, head_dim]: keys at index 0, values at 1) and <c>…/offset</c> (I64 [1]). Older files
/// carry <c>…/current_end</c> instead, whose <i>length</i> is the offset.
/// </summary>
public static class VoiceStateFile
{
    private const string LayerPrefix = "transformer.layers.";
    private const string LayerSuffix = ".self_attn";

    /// <summary>Writes a snapshot (atomically: temporary name, then rename).</summary>
    public static void Write(FlowLmSnapshot snapshot, string path) => Writer(snapshot).Save(path);

    /// <summary>The file bytes of a snapshot.</summary>
    public static byte[] ToBytes(FlowLmSnapshot snapshot) => Writer(snapshot).ToBytes();

    /// <summary>Reads a voice state file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a voice state; the message says why.</exception>
    public static FlowLmSnapshot Read(string path)
    {
        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        return Read(file, path);
    }

    /// <summary>Reads a voice state from file bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a voice state.</exception>
    public static FlowLmSnapshot Read(ReadOnlyMemory<byte> bytes, string name = "<voice state>")
    {
        using SafeTensorsFile file = SafeTensorsFile.FromBytes(bytes, name);
        return Read(file, name);
    }

    private static SafeTensorsWriter Writer(FlowLmSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var writer = new SafeTensorsWriter();
        int perLayer = snapshot.Offset * snapshot.Heads * snapshot.HeadDim;
        var cache = new float[2 * perLayer];
        for (int layer = 0; layer < snapshot.Layers; layer++)
        {
            string module = LayerPrefix + layer.ToString(CultureInfo.InvariantCulture) + LayerSuffix;
            snapshot.Keys[layer].CopyTo(cache, 0);
            snapshot.Values[layer].CopyTo(cache, perLayer);
            writer.Add(module + "/cache", cache, 2, 1, snapshot.Offset, snapshot.Heads, snapshot.HeadDim);
            writer.Add(module + "/offset", [(long)snapshot.Offset], 1);
        }
        return writer;
    }

    private static FlowLmSnapshot Read(SafeTensorsFile file, string name)
    {
        var layers = new SortedDictionary<int, (WeightTensor? Cache, int? Offset)>();
        foreach (string key in file.Names)
        {
            string[] parts = key.Split('/');
            if (parts.Length != 2 || !parts[0].StartsWith(LayerPrefix, StringComparison.Ordinal) || !parts[0].EndsWith(LayerSuffix, StringComparison.Ordinal)
                || !int.TryParse(parts[0][LayerPrefix.Length..^LayerSuffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out int layer))
            {
                throw new InvalidDataException($"{name}: '{key}' is not a voice-state tensor (expected transformer.layers.N.self_attn/cache, /offset or /current_end).");
            }
            layers.TryGetValue(layer, out var entry);
            WeightTensor tensor = file[key];
            entry = parts[1] switch
            {
                "cache" => (tensor, entry.Offset),
                "offset" when tensor.DType == TensorDType.I64 && tensor.ElementCount >= 1 => (entry.Cache, checked((int)MemoryMarshal.Read<long>(tensor.Data.Span))),
                "current_end" when tensor.Shape.Length == 1 => (entry.Cache, tensor.Shape[0]),
                _ => throw new InvalidDataException($"{name}: '{key}' has an unexpected name, type or shape for a voice state."),
            };
            layers[layer] = entry;
        }
        if (layers.Count == 0)
            throw new InvalidDataException($"{name}: no voice-state tensors found.");
        if (layers.Keys.Last() != layers.Count - 1)
            throw new InvalidDataException($"{name}: voice-state layers are not numbered 0 … {layers.Count - 1}.");

        int offset = -1, heads = 0, headDim = 0;
        var keys = new List<float[]>();
        var values = new List<float[]>();
        foreach (var (layer, (cache, layerOffset)) in layers)
        {
            if (cache is null || layerOffset is null)
                throw new InvalidDataException($"{name}: layer {layer} needs both a cache and an offset.");
            int[] s = cache.Shape;
            if (s.Length != 5 || s[0] != 2 || s[1] != 1)
                throw new InvalidDataException($"{name}: layer {layer} cache has shape {cache.ShapeText}, expected [2, 1, positions, heads, head_dim].");
            if (offset < 0)
                (offset, heads, headDim) = (layerOffset.Value, s[3], s[4]);
            if (layerOffset != offset || s[3] != heads || s[4] != headDim)
                throw new InvalidDataException($"{name}: layer {layer} disagrees with layer 0 on the offset or the head layout.");
            if (offset > s[2])
                throw new InvalidDataException($"{name}: layer {layer} offset {offset} exceeds its cache length {s[2]}.");
            float[] all = WeightConversion.ToFloat32(cache);
            int capacity = s[2] * heads * headDim, used = offset * heads * headDim;
            keys.Add(all[..used]);
            values.Add(all[capacity..(capacity + used)]);
        }
        return new FlowLmSnapshot(offset, heads, headDim, keys, values);
    }
}
