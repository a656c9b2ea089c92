using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace PocketTts.Weights;

/// <summary>
/// Parses and validates a safetensors header against the bytes that follow it, before any tensor is read: the
/// file may come from anywhere, so every number in the header is checked (sizes that overflow, offsets outside the
/// data, tensors sharing bytes) and every message names the file and the tensor.
/// </summary>
internal static class SafeTensorsHeader
{
    private const string MetadataKey = "__metadata__";

    public static (Dictionary<string, WeightTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(ReadOnlyMemory<byte> file, string path)
    {
        ReadOnlySpan<byte> bytes = file.Span;
        if (bytes.Length < 8)
            throw new InvalidDataException($"{path}: not a safetensors file ({bytes.Length} bytes, shorter than the 8-byte header length).");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength == 0 || headerLength > (ulong)SafeTensorsFile.MaxHeaderBytes)
            throw new InvalidDataException($"{path}: header length {headerLength} is outside 1..{SafeTensorsFile.MaxHeaderBytes} bytes; not a safetensors file.");
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new InvalidDataException($"{path}: header length {headerLength} runs past the end of the file ({bytes.Length} bytes); the file is truncated.");
        int dataStart = 8 + (int)headerLength;
        long dataLength = bytes.Length - dataStart;

        // JsonDocument checks UTF-8 only when a string is read, and then throws InvalidOperationException: a tensor
        // name such as "\xff\xfe" would escape as an unexplained failure instead of an invalid file.
        if (!Utf8.IsValid(bytes.Slice(8, (int)headerLength)))
            throw new InvalidDataException($"{path}: the header is not valid UTF-8 (a safetensors header is UTF-8 JSON); not a safetensors file.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.Slice(8, (int)headerLength));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: the header is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: the header must be a JSON object, not {document.RootElement.ValueKind}.");
            var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var ranges = new List<(long Begin, long End, string Name)>();
            bool sawMetadata = false;
            foreach (JsonProperty entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    if (sawMetadata)
                        throw new InvalidDataException($"{path}: the header has two {MetadataKey} entries.");
                    sawMetadata = true;
                    ReadMetadata(entry.Value, metadata, path);
                    continue;
                }
                if (tensors.ContainsKey(entry.Name))
                    throw new InvalidDataException($"{path}: tensor '{entry.Name}' appears twice in the header.");
                var (dtype, shape, begin, end) = ReadEntry(entry, path);
                long expected = dtype.ByteCount(shape);
                if (expected < 0)
                    throw new InvalidDataException($"{path}: {Describe(entry.Name, dtype, shape)} has more elements than any file can hold.");
                if (end - begin != expected)
                    throw new InvalidDataException($"{path}: {Describe(entry.Name, dtype, shape)} needs {expected} bytes but its data_offsets [{begin}, {end}] span {end - begin}.");
                if (end > dataLength)
                    throw new InvalidDataException($"{path}: {Describe(entry.Name, dtype, shape)} ends at byte {end} of the data, past its end ({dataLength} bytes); the file is truncated.");
                if (end > begin)
                    ranges.Add((begin, end, entry.Name));
                tensors.Add(entry.Name, new WeightTensor(entry.Name, dtype, shape, file.Slice(dataStart + (int)begin, (int)(end - begin))));
            }
            CheckNoOverlap(ranges, path);
            return (tensors, metadata);
        }
    }

    private static string Describe(string name, TensorDType dtype, int[] shape) => $"tensor '{name}' ({dtype.SafeTensorsName()} [{string.Join(", ", shape)}])";

    private static void CheckNoOverlap(List<(long Begin, long End, string Name)> ranges, string path)
    {
        ranges.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        for (int i = 1, widest = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Begin < ranges[widest].End)
            {
                throw new InvalidDataException(
                    $"{path}: tensors '{ranges[widest].Name}' [{ranges[widest].Begin}, {ranges[widest].End}) and '{ranges[i].Name}' [{ranges[i].Begin}, {ranges[i].End}) share bytes.");
            }
            if (ranges[i].End > ranges[widest].End)
                widest = i;
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: {MetadataKey} must be an object of strings, not {value.ValueKind}.");
        foreach (JsonProperty p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{path}: {MetadataKey} value '{p.Name}' must be a string, not {p.Value.ValueKind} ({p.Value.GetRawText()}).");
            if (!metadata.TryAdd(p.Name, p.Value.GetString()!))
                throw new InvalidDataException($"{path}: {MetadataKey} has the key '{p.Name}' twice.");
        }
    }

    private static (TensorDType DType, int[] Shape, long Begin, long End) ReadEntry(JsonProperty entry, string path)
    {
        JsonElement e = entry.Value;
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data_offsets", out JsonElement offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"{path}: tensor '{entry.Name}' needs \"dtype\" (a string), \"shape\" (an array) and \"data_offsets\" (two numbers).");
        }
        string? dtypeName = dtypeElement.GetString();
        if (!TensorDTypes.TryParse(dtypeName, out TensorDType dtype))
            throw new InvalidDataException($"{path}: tensor '{entry.Name}' has unsupported dtype '{dtypeName}' (supported: {TensorDTypes.Supported}).");
        var shape = new int[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (JsonElement d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int dim) || dim < 0)
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' has an invalid dimension {d.GetRawText()} in its shape (dimensions are integers 0..{int.MaxValue}).");
            shape[i++] = dim;
        }
        JsonElement first = offsetsElement[0], second = offsetsElement[1];
        if (first.ValueKind != JsonValueKind.Number || !first.TryGetInt64(out long begin)
            || second.ValueKind != JsonValueKind.Number || !second.TryGetInt64(out long end)
            || begin < 0 || end < begin)
        {
            throw new InvalidDataException($"{path}: tensor '{entry.Name}' has invalid data_offsets [{first.GetRawText()}, {second.GetRawText()}] (two integers, 0 ≤ begin ≤ end).");
        }
        return (dtype, shape, begin, end);
    }
}
