using System.Buffers.Binary;
using System.Text.Json;

namespace PocketTts.Weights;

/// <summary>Parses and validates a safetensors header against the bytes that follow it.</summary>
internal static class SafeTensorsHeader
{
    public static (Dictionary<string, WeightTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(ReadOnlyMemory<byte> file, string path)
    {
        ReadOnlySpan<byte> bytes = file.Span;
        if (bytes.Length < 8)
            throw new InvalidDataException($"{path}: not a safetensors file (shorter than the 8-byte header length).");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength == 0 || headerLength > (ulong)SafeTensorsFile.MaxHeaderBytes)
            throw new InvalidDataException($"{path}: header length {headerLength} is outside 1..{SafeTensorsFile.MaxHeaderBytes} bytes; not a safetensors file.");
        if (8 + (long)headerLength > bytes.Length)
            throw new InvalidDataException($"{path}: header length {headerLength} runs past the end of the file ({bytes.Length} bytes); the file is truncated.");
        long dataStart = 8 + (long)headerLength;
        long dataLength = bytes.Length - dataStart;

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
                throw new InvalidDataException($"{path}: the header must be a JSON object.");
            var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var ranges = new List<(long Begin, long End, string Name)>();
            foreach (JsonProperty entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    ReadMetadata(entry.Value, metadata, path);
                    continue;
                }
                var (dtype, shape, begin, end) = ReadEntry(entry, path);
                long expected = ElementSize(dtype) * shape.Aggregate(1L, (n, d) => checked(n * d));
                if (end - begin != expected)
                    throw new InvalidDataException($"{path}: tensor '{entry.Name}' ({dtype} [{string.Join(", ", shape)}]) needs {expected} bytes but its offsets span {end - begin}.");
                if (end > dataLength)
                    throw new InvalidDataException($"{path}: tensor '{entry.Name}' ends at byte {end} of the data, past its end ({dataLength} bytes); the file is truncated.");
                ranges.Add((begin, end, entry.Name));
                tensors[entry.Name] = new WeightTensor(entry.Name, dtype, shape, file.Slice((int)(dataStart + begin), (int)(end - begin)));
            }
            ranges.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            for (int i = 1; i < ranges.Count; i++)
            {
                if (ranges[i].Begin < ranges[i - 1].End)
                    throw new InvalidDataException($"{path}: tensors '{ranges[i - 1].Name}' and '{ranges[i].Name}' overlap.");
            }
            return (tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: __metadata__ must be an object of strings.");
        foreach (JsonProperty p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{path}: __metadata__ value '{p.Name}' must be a string.");
            metadata[p.Name] = p.Value.GetString()!;
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
            throw new InvalidDataException($"{path}: tensor '{entry.Name}' needs \"dtype\", \"shape\" and two \"data_offsets\".");
        }
        TensorDType dtype = dtypeElement.GetString() switch
        {
            "F32" => TensorDType.F32,
            "F16" => TensorDType.F16,
            "BF16" => TensorDType.BF16,
            "I8" => TensorDType.I8,
            "I64" => TensorDType.I64,
            "BOOL" => TensorDType.Bool,
            var other => throw new InvalidDataException($"{path}: tensor '{entry.Name}' has unsupported dtype '{other}' (supported: F32, F16, BF16, I8, I64, BOOL)."),
        };
        var shape = new int[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (JsonElement d in shapeElement.EnumerateArray())
        {
            if (!d.TryGetInt32(out int dim) || dim < 0)
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' has an invalid dimension '{d}'.");
            shape[i++] = dim;
        }
        long begin = offsetsElement[0].TryGetInt64(out long b) ? b : -1;
        long end = offsetsElement[1].TryGetInt64(out long en) ? en : -1;
        if (begin < 0 || end < begin)
            throw new InvalidDataException($"{path}: tensor '{entry.Name}' has invalid data_offsets [{offsetsElement[0]}, {offsetsElement[1]}].");
        return (dtype, shape, begin, end);
    }

    public static int ElementSize(TensorDType dtype) => dtype switch
    {
        TensorDType.F32 => 4,
        TensorDType.F16 or TensorDType.BF16 => 2,
        TensorDType.I64 => 8,
        TensorDType.I8 or TensorDType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}
