using System.Buffers;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace PocketTts.Weights;

/// <summary>Exposes a read-only memory-mapped view as <see cref="ReadOnlyMemory{T}"/> without copying it.</summary>
/// <remarks>
/// The pages of the view that have been read count as the process's resident memory until the view is closed: a
/// model built from a mapped file would hold the whole file next to its own copy of the weights. Once a tensor has
/// been converted, <see cref="Release"/> gives its pages back; they stay readable (a later read faults them in again
/// from the file, usually still in the page cache).
/// </remarks>
internal sealed unsafe partial class MappedMemory : MemoryManager<byte>
{
    private const int MadviseDontNeed = 4;   // MADV_DONTNEED on Linux

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

    /// <summary>
    /// Drops the pages of <paramref name="data"/> from this process's resident memory when they are a view of a mapped
    /// file (whole pages only; on Linux; elsewhere, and for other memory, nothing happens).
    /// </summary>
    public static void Release(ReadOnlyMemory<byte> data)
    {
        if (OperatingSystem.IsLinux() && MemoryMarshal.TryGetMemoryManager(data, out MappedMemory? mapped, out int start, out int length))
            mapped.ReleasePages(start, length);
    }

    private void ReleasePages(int start, int length)
    {
        long page = Environment.SystemPageSize;
        long first = ((long)_pointer + start + page - 1) / page * page;
        long end = ((long)_pointer + start + length) / page * page;
        // Advice only: a failure leaves the pages resident, as they were.
        if (end > first)
            _ = Madvise((void*)first, (nuint)(end - first), MadviseDontNeed);
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);

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
