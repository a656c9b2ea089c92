using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace PocketTts.Weights;

/// <summary>Exposes a read-only memory-mapped view as <see cref="ReadOnlyMemory{T}"/> without copying it.</summary>
internal sealed unsafe class MappedMemory : MemoryManager<byte>
{
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private readonly int _length;

    public MappedMemory(MemoryMappedFile mapping, long length)
    {
        if (length > int.MaxValue)
            throw new InvalidDataException($"Weights files larger than 2 GiB are not supported ({length} bytes).");
        _view = mapping.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _pointer = pointer + _view.PointerOffset;
        _length = (int)length;
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
    }
}
