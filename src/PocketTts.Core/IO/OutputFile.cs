namespace PocketTts.IO;

/// <summary>
/// A file the program writes for the user, which appears only when complete. For a regular file (or a new path) the
/// bytes go to a hidden temporary file beside it, renamed over the target by <see cref="Commit"/>, with the target's
/// permissions kept; disposing without committing deletes the temporary file, and so does the process's exit (see
/// <see cref="PendingFiles"/>). A symbolic link is followed: its final target is replaced and the link stays. A special
/// file (<c>/dev/null</c>, a FIFO, a device) is written through, as a shell's <c>&gt;</c> would.
/// </summary>
public sealed class OutputFile : IDisposable, IAsyncDisposable
{
    private readonly string _target;
    private readonly string? _temporary;
    private bool _committed;

    private OutputFile(string target, string? temporary, FileStream stream)
    {
        _target = target;
        _temporary = temporary;
        Stream = stream;
    }

    /// <summary>Where to write the file's bytes.</summary>
    public FileStream Stream { get; }

    /// <summary>Opens the output for <paramref name="path"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a folder.</exception>
    public static OutputFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        if (new FileInfo(target).LinkTarget is not null && File.ResolveLinkTarget(target, returnFinalTarget: true) is { } final)
            target = final.FullName;
        if (Directory.Exists(target))
            throw new IOException($"{target} is a folder, not a file.");
        string folder = Path.GetDirectoryName(target) ?? ".";
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Output folder does not exist: {folder}");
        if (FileType.IsSpecial(target))
            return new OutputFile(target, null, new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16, useAsync: false));

        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        PendingFiles.Add(temporary);
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            if (!OperatingSystem.IsWindows() && File.Exists(target))
                File.SetUnixFileMode(stream.SafeFileHandle, File.GetUnixFileMode(target));
            return new OutputFile(target, temporary, stream);
        }
        catch
        {
            Discard(temporary);
            throw;
        }
    }

    /// <summary>Flushes the bytes to disk and puts the file in place (a no-op beyond the flush for a special file).</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (_temporary is null)
        {
            Stream.Flush();
        }
        else
        {
            Stream.Flush(flushToDisk: true);
            Stream.Dispose();
            File.Move(_temporary, _target, overwrite: true);
            PendingFiles.Release(_temporary);
        }
        _committed = true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed && _temporary is not null)
            Discard(_temporary);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        if (!_committed && _temporary is not null)
            Discard(_temporary);
    }

    private static void Discard(string temporary) => PendingFiles.Delete(temporary);
}
