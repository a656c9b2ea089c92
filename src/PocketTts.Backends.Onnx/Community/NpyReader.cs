using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// Reads a float32 array from a NumPy <c>.npy</c> file (what <c>np.save</c> writes): the magic, a version byte pair,
/// a header length (2 bytes in version 1, 4 in versions 2 and 3), a Python-literal header
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (1, 1, 1024), }</c>, then the raw values.
/// </summary>
internal static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The shape and values of the float32 array in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a little-endian, C-ordered float32 .npy array.</exception>
    public static (int[] Shape, float[] Values) ReadFloat32(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The .npy file is missing: {path}.", path);
        return ReadFloat32(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses the bytes of a .npy file; <paramref name="name"/> names it in errors.</summary>
    public static (int[] Shape, float[] Values) ReadFloat32(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{name} is not a .npy file (no \\x93NUMPY magic).");
        int major = bytes[6];
        (int headerLength, int headerStart) = major switch
        {
            1 => (BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]), 10),
            2 or 3 when bytes.Length >= 12 => ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]), 12),
            _ => throw new InvalidDataException($"{name} is .npy version {major}; versions 1 to 3 are read."),
        };
        if (headerLength < 0 || headerStart + headerLength > bytes.Length)
            throw new InvalidDataException($"{name} is truncated: its header claims {headerLength} bytes.");
        string header = Encoding.Latin1.GetString(bytes.Slice(headerStart, headerLength));

        string descr = Field(header, DescrPattern(), "descr", name);
        if (descr != "<f4")
            throw new InvalidDataException($"{name} holds dtype '{descr}'; only little-endian float32 ('<f4') is read.");
        if (Field(header, FortranPattern(), "fortran_order", name) != "False")
            throw new InvalidDataException($"{name} is in Fortran order; only C order is read.");
        int[] shape = [.. Field(header, ShapePattern(), "shape", name)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                ? n
                : throw new InvalidDataException($"{name} has a shape dimension '{d}' that is not a size."))];

        long count = shape.Aggregate(1L, (a, b) => a * b);
        ReadOnlySpan<byte> data = bytes[(headerStart + headerLength)..];
        if (data.Length != count * sizeof(float))
            throw new InvalidDataException($"{name} has shape ({string.Join(", ", shape)}) = {count} floats but {data.Length} data bytes (expected {count * sizeof(float)}).");
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * sizeof(float))..]);
        return (shape, values);
    }

    private static string Field(string header, Regex pattern, string field, string name)
    {
        Match match = pattern.Match(header);
        return match.Success ? match.Groups[1].Value : throw new InvalidDataException($"{name} has no '{field}' in its header: {header.Trim()}");
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
