using System.IO.MemoryMappedFiles;
using PocketTts.IO;

namespace PocketTts.Weights;

/// <summary>
/// A memory-mapped safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw data. Tensors are views of the mapping (nothing is copied) and stay
/// valid until the file is disposed. The header is validated before anything is read from the data.
/// </summary>
public sealed class SafeTensorsFile : IWeightSource, IDisposable
{
    /// <summary>Largest header accepted (the real checkpoints' headers are a few tens of kB).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private readonly MemoryMappedFile? _mapping;
    private readonly MappedMemory? _memory;
    private readonly Dictionary<string, WeightTensor> _tensors;

    private SafeTensorsFile(string path, MemoryMappedFile? mapping, MappedMemory? memory, Dictionary<string, WeightTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _mapping = mapping;
        _memory = memory;
        _tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The header's <c>__metadata__</c> (free-form string pairs); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Names => _tensors.Keys;

    /// <summary>Opens and validates a safetensors file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file, or not a regular file; the message says why.</exception>
    public static SafeTensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Weights file not found: {path}", path);
        InputFile.EnsureRegular(path, "safetensors file");
        // The Hugging Face cache hands out symlinks into blobs/: measure (and map) the file they point at.
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
            info = target;
        long length = info.Length;
        if (length < 8)
            throw new InvalidDataException($"{path}: not a safetensors file ({length} bytes, shorter than the 8-byte header length).");
        if (length == 8)
            throw new InvalidDataException($"{path}: not a safetensors file (no header after the 8-byte header length).");
        if (length > int.MaxValue)
            throw new InvalidDataException($"{path}: weights files larger than 2 GiB are not supported ({length} bytes).");
        if (OperatingSystem.IsBrowser())
            return FromBytes(File.ReadAllBytes(path), path); // a browser has no memory-mapped files; its file system is memory anyway
        var mapping = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MappedMemory? memory = null;
        try
        {
            memory = new MappedMemory(mapping, length);
            var (tensors, metadata) = SafeTensorsHeader.Parse(memory.Memory, path);
            return new SafeTensorsFile(path, mapping, memory, tensors, metadata);
        }
        catch
        {
            ((IDisposable?)memory)?.Dispose();
            mapping.Dispose();
            throw;
        }
    }

    /// <summary>Parses safetensors bytes held in memory (for tests and downloads in progress).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid safetensors file.</exception>
    public static SafeTensorsFile FromBytes(ReadOnlyMemory<byte> bytes, string name = "<memory>")
    {
        var (tensors, metadata) = SafeTensorsHeader.Parse(bytes, name);
        return new SafeTensorsFile(name, null, null, tensors, metadata);
    }

    /// <inheritdoc/>
    public bool TryGet(string name, out WeightTensor tensor) => _tensors.TryGetValue(name, out tensor!);

    /// <summary>Gets a tensor by name.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public WeightTensor this[string name] => _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'.");

    /// <inheritdoc/>
    public void Dispose()
    {
        ((IDisposable?)_memory)?.Dispose();
        _mapping?.Dispose();
    }
}
