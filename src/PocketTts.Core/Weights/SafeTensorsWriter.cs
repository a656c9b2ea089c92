using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using PocketTts.IO;

namespace PocketTts.Weights;

/// <summary>
/// Writes safetensors files: an 8-byte little-endian header length, the JSON header (compact, <c>__metadata__</c>
/// first, padded with spaces to a multiple of 8 bytes as the reference library does) and the tensors in the order
/// they were added, without gaps. <see cref="Save"/> writes to a temporary name in the same folder and renames it
/// when complete, so no reader ever sees half a file. Not thread-safe.
/// </summary>
public sealed class SafeTensorsWriter
{
    private const string MetadataKey = "__metadata__";

    // Python's json/serde write non-ASCII text as UTF-8; the default encoder would turn it (and '+', '<', …) into \u escapes.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<(string Name, TensorDType DType, int[] Shape, ReadOnlyMemory<byte> Data)> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);

    /// <summary>Tensors added so far.</summary>
    public int Count => _tensors.Count;

    /// <summary>Adds a float32 tensor (the values are copied).</summary>
    /// <exception cref="ArgumentException">The count does not match the shape, or the name is empty, reserved or taken.</exception>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<float> values, params int[] shape) => Add(name, TensorDType.F32, MemoryMarshal.AsBytes(values), shape);

    /// <summary>Adds an int64 tensor (the values are copied).</summary>
    /// <exception cref="ArgumentException">The count does not match the shape, or the name is empty, reserved or taken.</exception>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<long> values, params int[] shape) => Add(name, TensorDType.I64, MemoryMarshal.AsBytes(values), shape);

    /// <summary>Adds an int8 tensor (the values are copied).</summary>
    /// <exception cref="ArgumentException">The count does not match the shape, or the name is empty, reserved or taken.</exception>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<sbyte> values, params int[] shape) => Add(name, TensorDType.I8, MemoryMarshal.AsBytes(values), shape);

    /// <summary>Adds a boolean tensor, one byte (0 or 1) per value.</summary>
    /// <exception cref="ArgumentException">The count does not match the shape, or the name is empty, reserved or taken.</exception>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<bool> values, params int[] shape)
    {
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
            bytes[i] = values[i] ? (byte)1 : (byte)0;
        return AddOwned(name, TensorDType.Bool, bytes, shape);
    }

    /// <summary>Adds a tensor from raw little-endian bytes (copied).</summary>
    /// <exception cref="ArgumentException">The byte count does not match the dtype and shape, or the name is empty, reserved or taken.</exception>
    public SafeTensorsWriter Add(string name, TensorDType dtype, ReadOnlySpan<byte> data, params int[] shape)
    {
        Validate(name, dtype, data.Length, shape);
        return AddOwned(name, dtype, data.ToArray(), shape);
    }

    /// <summary>
    /// Adds <paramref name="tensor"/> under its own name without copying its bytes: a tensor of an open
    /// <see cref="SafeTensorsFile"/> must stay valid (the file open) until the file is written.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor's bytes do not match its dtype and shape, or the name is taken.</exception>
    public SafeTensorsWriter Add(WeightTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Add(tensor.Name, tensor);
    }

    /// <summary>Adds <paramref name="tensor"/> under <paramref name="name"/> without copying its bytes (see <see cref="Add(WeightTensor)"/>).</summary>
    /// <exception cref="ArgumentException">The tensor's bytes do not match its dtype and shape, or the name is empty, reserved or taken.</exception>
    public SafeTensorsWriter Add(string name, WeightTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Validate(name, tensor.DType, tensor.Data.Length, tensor.Shape);
        _names.Add(name);
        _tensors.Add((name, tensor.DType, (int[])tensor.Shape.Clone(), tensor.Data));
        return this;
    }

    /// <summary>Adds or replaces a <c>__metadata__</c> entry (free-form text).</summary>
    public SafeTensorsWriter Metadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
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

    /// <summary>
    /// Writes the file atomically: to a temporary name in the folder of <paramref name="path"/>, flushed to disk, then
    /// renamed over <paramref name="path"/> with its permissions kept. On failure or interruption the temporary file is
    /// removed and an existing file is untouched; a symbolic link's target is replaced, a special file written through.
    /// </summary>
    /// <exception cref="IOException">The folder does not exist or cannot be written, or <paramref name="path"/> is a folder.</exception>
    public void Save(string path)
    {
        using OutputFile file = OutputFile.Open(path);
        WriteTo(file.Stream);
        file.Commit();
    }

    /// <summary>Writes the file to <paramref name="stream"/> (for example an HTTP response).</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = Header();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var tensor in _tensors)
            stream.Write(tensor.Data.Span);
    }

    private SafeTensorsWriter AddOwned(string name, TensorDType dtype, byte[] data, int[] shape)
    {
        Validate(name, dtype, data.Length, shape);
        _names.Add(name);
        _tensors.Add((name, dtype, (int[])shape.Clone(), data));
        return this;
    }

    private void Validate(string name, TensorDType dtype, long byteCount, int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (name == MetadataKey)
            throw new ArgumentException($"'{MetadataKey}' is reserved for the metadata; use Metadata(key, value).", nameof(name));
        if (_names.Contains(name))
            throw new ArgumentException($"Tensor '{name}' was already added.", nameof(name));
        long expected = dtype.ByteCount(shape);
        if (expected < 0)
            throw new ArgumentException($"Tensor '{name}': shape [{string.Join(", ", shape)}] has a negative dimension or too many elements.", nameof(shape));
        if (byteCount != expected)
            throw new ArgumentException($"Tensor '{name}': {byteCount} bytes for {dtype.SafeTensorsName()} [{string.Join(", ", shape)}], expected {expected}.", nameof(shape));
    }

    private byte[] Header()
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, JsonOptions))
        {
            writer.WriteStartObject();
            if (_metadata.Count > 0)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in _metadata)
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in _tensors)
            {
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", tensor.DType.SafeTensorsName());
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
        long padded = (json.Length + 7) / 8 * 8;
        if (padded > SafeTensorsFile.MaxHeaderBytes)
            throw new InvalidOperationException($"The header would take {padded} bytes, more than readers accept ({SafeTensorsFile.MaxHeaderBytes}).");
        byte[] header = new byte[padded];
        json.GetBuffer().AsSpan(0, (int)json.Length).CopyTo(header);
        header.AsSpan((int)json.Length).Fill((byte)' ');
        return header;
    }
}
