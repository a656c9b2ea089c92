using System.Runtime.InteropServices;
using System.Text.Json;

namespace PocketTts.Weights;

/// <summary>
/// Writes safetensors files: the JSON header (padded with spaces to a multiple of 8 bytes, as the reference
/// library does) and the tensors laid out in order without gaps. Files are written to a temporary name in the
/// same folder and renamed when complete, so a reader never sees half a file.
/// </summary>
public sealed class SafeTensorsWriter
{
    private readonly List<(string Name, TensorDType DType, int[] Shape, byte[] Data)> _tensors = [];
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);

    /// <summary>Adds a float32 tensor.</summary>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<float> values, params int[] shape) => Add(name, TensorDType.F32, MemoryMarshal.AsBytes(values), shape);

    /// <summary>Adds an int64 tensor.</summary>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<long> values, params int[] shape) => Add(name, TensorDType.I64, MemoryMarshal.AsBytes(values), shape);

    /// <summary>Adds an int8 tensor.</summary>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<sbyte> values, params int[] shape) => Add(name, TensorDType.I8, MemoryMarshal.AsBytes(values), shape);

    /// <summary>Adds a tensor from raw little-endian bytes.</summary>
    /// <exception cref="ArgumentException">The byte count does not match the dtype and shape, or the name is taken.</exception>
    public SafeTensorsWriter Add(string name, TensorDType dtype, ReadOnlySpan<byte> data, params int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        long expected = SafeTensorsHeader.ElementSize(dtype) * shape.Aggregate(1L, (n, d) => n * d);
        if (data.Length != expected)
            throw new ArgumentException($"Tensor '{name}': {data.Length} bytes for {dtype} [{string.Join(", ", shape)}], expected {expected}.", nameof(data));
        if (name == "__metadata__" || _tensors.Any(t => t.Name == name))
            throw new ArgumentException($"Tensor name '{name}' is reserved or already used.", nameof(name));
        _tensors.Add((name, dtype, (int[])shape.Clone(), data.ToArray()));
        return this;
    }

    /// <summary>Adds a <c>__metadata__</c> entry.</summary>
    public SafeTensorsWriter Metadata(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    /// <summary>The file's bytes.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>Writes the file atomically: to a temporary name beside <paramref name="path"/>, then renamed.</summary>
    public void Save(string path)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                WriteTo(stream);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private void WriteTo(Stream stream)
    {
        byte[] header = Header();
        Span<byte> length = stackalloc byte[8];
        BitConverter.TryWriteBytes(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var tensor in _tensors)
            stream.Write(tensor.Data);
    }

    private byte[] Header()
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (_metadata.Count > 0)
            {
                writer.WriteStartObject("__metadata__");
                foreach (var (key, value) in _metadata)
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in _tensors)
            {
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", tensor.DType switch
                {
                    TensorDType.F32 => "F32",
                    TensorDType.F16 => "F16",
                    TensorDType.BF16 => "BF16",
                    TensorDType.I8 => "I8",
                    TensorDType.I64 => "I64",
                    _ => "BOOL",
                });
                writer.WriteStartArray("shape");
                foreach (int d in tensor.Shape)
                    writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset += tensor.Data.Length);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        int padded = (int)((json.Length + 7) / 8 * 8);
        byte[] header = new byte[padded];
        json.ToArray().CopyTo(header, 0);
        header.AsSpan((int)json.Length).Fill((byte)' ');
        return header;
    }
}
