using System.Buffers;
using System.Globalization;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public sealed class MappedMemoryTests
{
    private const int Count = 1 << 20;   // 4 MB of float32 per tensor

    [Fact]
    public void Converting_a_mapped_tensor_releases_its_pages_which_stay_readable()
    {
        if (!OperatingSystem.IsLinux())
            return;   // the pages are released on Linux only
        using var folder = new TempFolder();
        float[] a = Values(1), b = Values(2);
        string path = folder.File("two.safetensors");
        new SafeTensorsWriter().Add("a", a, Count).Add("b", b, Count).Save(path);
        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        WeightTensor first = file["a"], second = file["b"];
        float sum = 0;
        foreach (byte value in first.Data.Span)
            sum += value;
        foreach (byte value in second.Data.Span)
            sum += value;
        long touched = ResidentKb(first.Data);

        WeightConversion.ToFloat32(first).ShouldBe(a);
        long afterFirst = ResidentKb(first.Data);
        WeightConversion.ToFloat32(second).ShouldBe(b);
        long afterBoth = ResidentKb(first.Data);

        sum.ShouldBeGreaterThan(0);
        touched.ShouldBeGreaterThan(2 * 4 * Count / 1024 - 64, "KiB resident after reading both tensors");
        afterFirst.ShouldBeLessThan(touched - 4 * Count / 1024 + 64, "KiB resident after converting the first");
        afterBoth.ShouldBeLessThan(256, "KiB resident after converting both (the header's page stays)");
        WeightConversion.ToFloat32(first).ShouldBe(a, "released pages are read again from the file");
    }

    [Fact]
    public void Converting_a_tensor_in_ordinary_memory_leaves_it_alone()
    {
        byte[] bytes = new SafeTensorsWriter().Add("a", Values(3).AsSpan(0, 1000), 1000).ToBytes();
        using SafeTensorsFile file = SafeTensorsFile.FromBytes(bytes);

        WeightConversion.ToFloat32(file["a"]).ShouldBe(Values(3)[..1000]);
        WeightConversion.ToFloat32(file["a"]).ShouldBe(Values(3)[..1000]);
    }

    private static float[] Values(int seed)
    {
        var random = new Random(seed);
        var values = new float[Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = random.NextSingle() + 0.5f;
        return values;
    }

    /// <summary>Resident KiB of the mapping that holds <paramref name="data"/>, from /proc/self/smaps.</summary>
    private static unsafe long ResidentKb(ReadOnlyMemory<byte> data)
    {
        using MemoryHandle handle = data.Pin();
        ulong address = (ulong)handle.Pointer;
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
            {
                inside = start <= address && address < end;
            }
            else if (inside && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"No mapping holds address 0x{address:x} in /proc/self/smaps.");
    }
}
