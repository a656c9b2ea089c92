namespace PocketTts.Hub;

/// <summary>How far the download of one file has come.</summary>
/// <param name="FileName">The file being downloaded (its name in the repository, or its URL).</param>
/// <param name="BytesDone">Bytes on disk so far, including any part kept from an interrupted download.</param>
/// <param name="TotalBytes">The file's size, or null when the server did not say.</param>
public readonly record struct DownloadProgress(string FileName, long BytesDone, long? TotalBytes)
{
    /// <summary>The fraction done in [0, 1], or null when the size is unknown.</summary>
    public double? Fraction => TotalBytes switch { null => null, 0 => 1, long total => (double)BytesDone / total };
}
