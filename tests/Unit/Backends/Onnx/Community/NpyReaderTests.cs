using System.Text;
using PocketTts.Backends.Onnx.Community;

namespace PocketTts.Tests.Unit.Backends.Onnx.Community;

public sealed class NpyReaderTests
{
    /// <summary>A .npy file as np.save writes it: magic, version, header length, header padded to 64 bytes, data.</summary>
    internal static byte[] Npy(string header, float[] values, int major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        header = header.PadRight(((prefix + header.Length + 1 + 63) / 64 * 64) - prefix - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.Latin1.GetBytes(header));
        foreach (float v in values)
            bytes.AddRange(BitConverter.GetBytes(v));
        return [.. bytes];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_the_shape_and_values_of_every_header_version(int major)
    {
        byte[] file = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3), }", [1.5f, -2f, float.NaN], major);
        (int[] shape, float[] values) = NpyReader.ReadFloat32(file, "bos.npy");
        shape.ShouldBe([1, 1, 3]);
        values[0].ShouldBe(1.5f);
        values[1].ShouldBe(-2f);
        float.IsNaN(values[2]).ShouldBeTrue();
    }

    [Fact]
    public void Reads_one_dimensional_and_scalar_shapes()
    {
        NpyReader.ReadFloat32(Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", [1f, 2f]), "a").Shape.ShouldBe([2]);
        NpyReader.ReadFloat32(Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", [4f]), "b").Values.ShouldBe([4f]);
    }

    [Fact]
    public void Reads_a_file_from_disk_and_names_a_missing_one()
    {
        string path = Path.Combine(Path.GetTempPath(), $"npy-{Guid.NewGuid():N}.npy");
        File.WriteAllBytes(path, Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", [3f, 4f]));
        try
        {
            NpyReader.ReadFloat32(path).Values.ShouldBe([3f, 4f]);
        }
        finally
        {
            File.Delete(path);
        }
        Should.Throw<FileNotFoundException>(() => NpyReader.ReadFloat32(path)).Message.ShouldContain(path);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", "dtype '<f8'")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", "dtype '>f4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", "Fortran order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "no 'shape'")]
    [InlineData("{'fortran_order': False, 'shape': (2,), }", "no 'descr'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", "3 floats but 8 data bytes")]
    public void Refuses_headers_it_cannot_read_and_says_why(string header, string problem)
    {
        var e = Should.Throw<InvalidDataException>(() => NpyReader.ReadFloat32(Npy(header, [1f, 2f]), "bos.npy"));
        e.Message.ShouldStartWith("bos.npy");
        e.Message.ShouldContain(problem);
    }

    [Fact]
    public void Refuses_a_file_without_the_magic_or_of_an_unknown_version()
    {
        Should.Throw<InvalidDataException>(() => NpyReader.ReadFloat32("PK\x03\x04 not numpy"u8.ToArray(), "x.npy")).Message.ShouldContain("magic");
        byte[] file = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", [1f]);
        file[6] = 4;
        Should.Throw<InvalidDataException>(() => NpyReader.ReadFloat32(file, "x.npy")).Message.ShouldContain("version 4");
        file[6] = 1;
        Should.Throw<InvalidDataException>(() => NpyReader.ReadFloat32(file.AsSpan(0, 30), "x.npy")).Message.ShouldContain("truncated");
    }
}
