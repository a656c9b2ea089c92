using System.Text;

namespace PocketTts.Tests.Unit.Weights;

/// <summary>Hand-made safetensors bytes and a temporary folder, for tests of hostile and edge-case files.</summary>
internal static class SafeTensorsBytes
{
    /// <summary>The 8-byte length of <paramref name="header"/>, the header, then <paramref name="dataBytes"/> bytes counting 0, 1, 2, ….</summary>
    public static byte[] Raw(string header, int dataBytes)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        byte[] data = [.. Enumerable.Range(0, dataBytes).Select(i => (byte)i)];
        return [.. BitConverter.GetBytes((ulong)h.Length), .. h, .. data];
    }

    /// <summary>One header entry: <c>"name":{"dtype":…,"shape":[…],"data_offsets":[begin,end]}</c>.</summary>
    public static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";
}

/// <summary>A folder under the system's temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("pocket-tts-weights-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
