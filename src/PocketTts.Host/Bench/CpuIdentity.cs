using System.Runtime.InteropServices;

namespace PocketTts.Host.Bench;

/// <summary>
/// The CPU itself: its model name and the vector instruction sets it has, whatever the runtime is told to use.
/// Read from <c>/proc/cpuinfo</c> on Linux; elsewhere the model is the architecture and the flags are unknown.
/// </summary>
/// <param name="Model">The model name, for example "AMD EPYC 7B13 64-Core Processor".</param>
/// <param name="Flags">The vector instruction sets of <see cref="Interesting"/> the CPU has, in that order; empty when unknown.</param>
internal sealed record CpuIdentity(string Model, IReadOnlyList<string> Flags)
{
    /// <summary>
    /// The flags that decide which kernels can run (x86 <c>flags</c>, ARM <c>Features</c>); the full list is
    /// a hundred words long.
    /// </summary>
    private static readonly string[] Interesting =
    [
        "sse4_2", "avx", "avx2", "fma", "f16c", "avx_vnni", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
        "amx_tile", "asimd", "asimddp", "asimdhp", "i8mm", "bf16", "sve", "sve2",
    ];

    /// <summary>This machine's CPU.</summary>
    public static CpuIdentity Current()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (OperatingSystem.IsLinux() && File.Exists(CpuInfo))
        {
            CpuIdentity parsed = Parse(File.ReadAllText(CpuInfo));
            if (parsed.Model.Length > 0)
                return parsed;
            return parsed with { Model = Fallback };
        }
        return new CpuIdentity(Fallback, []);
    }

    /// <summary>The first processor's model name and flags in the text of <c>/proc/cpuinfo</c>; an empty model when it has none (ARM).</summary>
    public static CpuIdentity Parse(string cpuInfo)
    {
        string model = "";
        HashSet<string> flags = [];
        foreach (string line in cpuInfo.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                continue;
            string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            if (model.Length == 0 && key.Equals("model name", StringComparison.OrdinalIgnoreCase))
                model = value;
            else if (flags.Count == 0 && key is "flags" or "Features")
                flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return new CpuIdentity(model, [.. Interesting.Where(flags.Contains)]);
    }

    private static string Fallback => $"{RuntimeInformation.ProcessArchitecture} CPU ({RuntimeInformation.OSDescription})";

    /// <summary>"model · flags", or "model · CPU flags unknown".</summary>
    public override string ToString() => $"{Model} · {(Flags.Count == 0 ? "CPU flags unknown" : string.Join(' ', Flags))}";
}
