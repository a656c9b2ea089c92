using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using PocketTts.IO;
using PocketTts.Voices;

namespace PocketTts.Host.Serving.Voices;

/// <summary>
/// Registered voices kept as files (<c>--voice-store DIR</c>), so that every server process sharing the folder (a
/// network mount behind a load balancer) knows the voices any of them registered. <c>states/SHA256.safetensors</c>
/// holds each exported voice state once, named by its content's hash; <c>names/NAME.voice</c> holds the hash a name
/// stands for. Every file is written to a temporary name and renamed, so a reader sees a whole file or none. Past
/// <c>--max-registered-voices</c> or <c>--max-registered-voices-mb</c> (the states' size on disk), the oldest
/// registrations are removed. Thread-safe, and safe across processes.
/// </summary>
internal sealed class VoiceStore
{
    private const string NameExtension = ".voice";
    private const string StateExtension = ".safetensors";

    // A state no name refers to is deleted only once this old: another process may have just written it and be
    // about to write the name.
    private static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(1);

    private readonly string _names;
    private readonly string _states;
    private readonly int _maxCount;
    private readonly long _maxBytes;

    /// <exception cref="UsageException">The folder cannot be created or written.</exception>
    public VoiceStore(string folder, int maxCount, long maxBytes)
    {
        _names = Path.Combine(folder, "names");
        _states = Path.Combine(folder, "states");
        _maxCount = maxCount;
        _maxBytes = maxBytes;
        try
        {
            Directory.CreateDirectory(_names);
            Directory.CreateDirectory(_states);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--voice-store {folder}: {e.Message}", e);
        }
    }

    /// <summary>The registered names (lower case: names are case-insensitive).</summary>
    public IReadOnlyList<string> Names =>
        [.. Directory.EnumerateFiles(_names, "*" + NameExtension).Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>The file of the state registered under <paramref name="name"/> and its content key, or null.</summary>
    public (string Path, string Key)? Find(string name)
    {
        string hash;
        try
        {
            hash = File.ReadAllText(NamePath(name)).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        string path = StatePath(hash);
        return hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower) && File.Exists(path) ? (path, "store:" + hash) : null;
    }

    /// <summary>Registers or replaces <paramref name="name"/>, then removes the oldest registrations past the limits.</summary>
    /// <exception cref="ApiException">413 when this state alone is larger than the byte limit.</exception>
    public void Add(string name, VoiceState state)
    {
        using var bytes = new MemoryStream();
        PocketTtsModel.SaveVoiceState(state, bytes);
        if (bytes.Length > _maxBytes)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                $"The voice state takes {bytes.Length / (1024.0 * 1024):0.#} MiB, more than registered voices may take in all ({_maxBytes / (1024.0 * 1024):0.#} MiB, --max-registered-voices-mb): use a shorter sample.",
                "file", "voice_too_large");
        }
        string hash = Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
        if (!File.Exists(StatePath(hash)))
            Write(StatePath(hash), bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
        Write(NamePath(name), System.Text.Encoding.ASCII.GetBytes(hash + "\n"));
        Evict();
    }

    private void Evict()
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        int count = 0;
        foreach (FileInfo name in new DirectoryInfo(_names).EnumerateFiles("*" + NameExtension).OrderByDescending(file => file.LastWriteTimeUtc))
        {
            string hash = ReadOrEmpty(name.FullName);
            long size = kept.Contains(hash) ? 0 : SizeOrZero(StatePath(hash));
            if (++count > _maxCount || bytes + size > _maxBytes)
            {
                DeleteQuietly(name.FullName);
                continue;
            }
            kept.Add(hash);
            bytes += size;
        }
        foreach (FileInfo state in new DirectoryInfo(_states).EnumerateFiles("*" + StateExtension))
        {
            if (!kept.Contains(Path.GetFileNameWithoutExtension(state.Name)) && DateTime.UtcNow - state.LastWriteTimeUtc > OrphanAge)
                DeleteQuietly(state.FullName);
        }
    }

    private static void Write(string path, ReadOnlySpan<byte> content)
    {
        using OutputFile file = OutputFile.Open(path);
        file.Stream.Write(content);
        file.Commit();
    }

    // Another process may delete or replace these files at any time: a file gone is as good as an empty one.
    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static long SizeOrZero(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    // Names are ASCII letters, digits, '_', '-' and '.' (checked by the registry), compared case-insensitively; the
    // extension keeps '.' and '..' from naming folders.
    private string NamePath(string name) => Path.Combine(_names, name.ToLowerInvariant() + NameExtension);

    private string StatePath(string hash) => Path.Combine(_states, hash + StateExtension);
}
