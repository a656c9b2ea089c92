using System.Runtime.InteropServices;

namespace PocketTts.IO;

/// <summary>
/// Whether a path names a special file (character or block device, FIFO, socket): .NET reports those as ordinary
/// files, and replacing one by renaming a regular file over it would, for <c>/dev/null</c> as root, break the system.
/// </summary>
public static partial class FileType
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const ushort TypeMask = 0xF000, Regular = 0x8000, Directory = 0x4000;

    /// <summary>
    /// True when <paramref name="path"/> exists (symbolic links followed) and is neither a regular file nor a directory.
    /// Linux only (<c>statx</c>, whose buffer layout is the same on every architecture); elsewhere always false.
    /// </summary>
    public static unsafe bool IsSpecial(string path)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        byte* buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
            return false;
        // struct statx: stx_mode is the u16 at byte 28.
        ushort type = (ushort)(*(ushort*)(buffer + 28) & TypeMask);
        return type is not (Regular or Directory);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
