using System.IO.Compression;
using PocketTts.IO;

namespace PocketTts.Weights.Torch;

/// <summary>
/// A <c>torch.save</c> file (the zip format of PyTorch ≥ 1.6): <c>&lt;root&gt;/data.pkl</c>, the pickled object, and
/// <c>&lt;root&gt;/data/&lt;key&gt;</c>, one stored entry per storage. The pickle is read by <see cref="TorchPickle"/>,
/// and tensors are materialised as <see cref="WeightTensor"/>s on request, each checked against its storage.
/// </summary>
internal sealed class TorchCheckpointFile : IDisposable
{
    // A state dict's pickle holds names and shapes, not tensor data: a few megabytes even for large models.
    private const int MaxPickleBytes = 256 << 20;

    private readonly ZipArchive _zip;
    private readonly string _root;
    private readonly string _name;
    private readonly Dictionary<string, byte[]> _storages = new(StringComparer.Ordinal);

    private TorchCheckpointFile(ZipArchive zip, string root, string name, object? content)
    {
        (_zip, _root, _name) = (zip, root, name);
        Content = content;
    }

    /// <summary>The pickled object: for a training checkpoint, a dict of state dicts.</summary>
    public object? Content { get; }

    /// <summary>Opens a checkpoint and reads its pickle.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a <c>torch.save</c> zip, or its pickle holds more than
    /// tensors and plain data.</exception>
    public static TorchCheckpointFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint not found: {path}", path);
        InputFile.EnsureRegular(path, "checkpoint");
        Stream stream = File.OpenRead(path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            stream.Dispose();
            throw new InvalidDataException($"{path}: not a PyTorch checkpoint (torch.save writes a zip file; files of PyTorch before 1.6 are not read).");
        }
        try
        {
            ZipArchiveEntry pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.IndexOf('/') == e.FullName.Length - "/data.pkl".Length)
                ?? throw new InvalidDataException($"{path}: not a PyTorch checkpoint (no data.pkl in the zip).");
            string root = pickle.FullName[..^"data.pkl".Length];
            if (pickle.Length > MaxPickleBytes)
                throw new InvalidDataException($"{path}: its data.pkl claims {pickle.Length} bytes; a state dict's pickle is far smaller.");
            object? content = TorchPickle.Load(ReadEntry(pickle, path), path);
            return new TorchCheckpointFile(zip, root, path, content);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of a tensor, copied out of its storage (row-major, little-endian).</summary>
    /// <exception cref="InvalidDataException">The tensor is not a contiguous view inside its storage, or the storage is
    /// missing or of the wrong size.</exception>
    public WeightTensor Tensor(string name, TorchTensorRef tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        int elementSize = tensor.Storage.DType.ElementSize();
        long count = 1, expectedStride = 1;
        for (int d = tensor.Shape.Length - 1; d >= 0; d--)
        {
            if (tensor.Shape[d] != 1 && tensor.Strides[d] != expectedStride)
                throw new InvalidDataException($"{_name}: tensor '{name}' is not contiguous (stride {string.Join(", ", tensor.Strides)} for shape {string.Join(", ", tensor.Shape)}); save it with .contiguous().");
            expectedStride *= tensor.Shape[d];
            count = checked(count * tensor.Shape[d]);
        }
        if (tensor.Offset < 0 || tensor.Offset + count > tensor.Storage.Count)
            throw new InvalidDataException($"{_name}: tensor '{name}' reaches past the end of its storage.");
        byte[] storage = Storage(tensor.Storage);
        int[] shape = [.. tensor.Shape.Select(d => (int)d)];
        byte[] data = storage.AsSpan((int)(tensor.Offset * elementSize), (int)(count * elementSize)).ToArray();
        return new WeightTensor(name, tensor.Storage.DType, shape, data);
    }

    private byte[] Storage(TorchStorage storage)
    {
        if (_storages.TryGetValue(storage.Key, out byte[]? bytes))
            return bytes;
        if (storage.Key.Contains('/', StringComparison.Ordinal) || storage.Key.Contains('\\', StringComparison.Ordinal))
            throw new InvalidDataException($"{_name}: a storage key is not a plain name.");
        ZipArchiveEntry entry = _zip.GetEntry(_root + "data/" + storage.Key)
            ?? throw new InvalidDataException($"{_name}: storage '{storage.Key}' is missing from the zip.");
        long expected = storage.Count * storage.DType.ElementSize();
        if (entry.Length != expected)
            throw new InvalidDataException($"{_name}: storage '{storage.Key}' holds {entry.Length} bytes, not the {expected} its {storage.Count} elements take.");
        bytes = ReadEntry(entry, _name);
        _storages[storage.Key] = bytes;
        return bytes;
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string name)
    {
        if (entry.Length > Array.MaxLength)
            throw new InvalidDataException($"{name}: entry '{entry.FullName}' is too large to read.");
        var bytes = new byte[entry.Length];
        using Stream stream = entry.Open();
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name}: entry '{entry.FullName}' is shorter than its stated length.");
        }
        if (stream.ReadByte() != -1)
            throw new InvalidDataException($"{name}: entry '{entry.FullName}' holds more than its stated length.");
        return bytes;
    }

    /// <inheritdoc/>
    public void Dispose() => _zip.Dispose();
}
