namespace PocketTts.IO;

/// <summary>
/// Reads a file that a user or a configuration named, refusing what would hang or exhaust memory before a byte is
/// read: a FIFO blocks the open until a writer comes, <c>/dev/zero</c> never ends, and a huge file would be
/// allocated whole. Only regular files are read (symbolic links followed), and never more than a stated cap.
/// </summary>
public static class InputFile
{
    /// <summary>Throws unless <paramref name="path"/> names a regular file (or a link to one).</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is for, in the message ("voice", "tokenizer").</param>
    /// <exception cref="InvalidDataException">The path is a device, FIFO or socket.</exception>
    public static void EnsureRegular(string path, string what)
    {
        if (FileType.IsSpecial(path))
            throw new InvalidDataException($"{path}: not a regular file but a device, FIFO or socket; the {what} must be a regular file.");
    }

    /// <summary>The whole content of a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes accepted; a longer file is refused without being read further.</param>
    /// <param name="what">What the file is for, in the messages ("voice", "tokenizer").</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The path is not a regular file, or the file is larger than the cap.</exception>
    public static byte[] ReadAllBytes(string path, int maxBytes, string what)
    {
        EnsureRegular(path, what);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        // The length a file reports can be wrong (files in /proc say 0), so the cap applies to what is read.
        if (stream.Length > maxBytes)
            throw TooLarge(path, maxBytes, what);
        using var content = new MemoryStream(stream.Length > 0 ? (int)stream.Length : 0);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (content.Length + read > maxBytes)
                throw TooLarge(path, maxBytes, what);
            content.Write(buffer, 0, read);
        }
        return content.Length == content.Capacity ? content.GetBuffer() : content.ToArray();
    }

    private static InvalidDataException TooLarge(string path, int maxBytes, string what) =>
        new($"{path}: more than {maxBytes} bytes; the {what} may have at most {maxBytes} bytes.");
}
