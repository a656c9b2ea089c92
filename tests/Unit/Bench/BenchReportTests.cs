using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Host.Bench;

namespace PocketTts.Tests.Unit.Bench;

/// <summary>What bench says about the machine and the kernels, and how it prints rates. Speeds are never asserted.</summary>
public sealed class BenchReportTests
{
    [Fact]
    public void The_managed_kernels_describe_the_paths_this_process_takes()
    {
        CpuKernels kernels = Simd.Kernels;

        if (Vector512.IsHardwareAccelerated)
        {
            kernels.VectorBits.ShouldBe(512);
            kernels.Description.ShouldEndWith(", 512-bit convolution tiles (AVX-512F)");
        }
        else if (Environment.Is64BitProcess && X86Base.IsSupported)
        {
            kernels.Description.ShouldEndWith(", AVX-512 not used");
        }
        if (Vector256.IsHardwareAccelerated)
        {
            kernels.Description.ShouldStartWith("256-bit");
            kernels.Description.Contains("AVX2", StringComparison.Ordinal).ShouldBe(Avx2.IsSupported);
            kernels.Description.Contains("FMA", StringComparison.Ordinal).ShouldBe(Fma.IsSupported);
            kernels.VectorBits.ShouldBeGreaterThanOrEqualTo(256);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            kernels.Description.ShouldStartWith("128-bit (no 256-bit vectors), ");
            if (!Vector512.IsHardwareAccelerated)
                kernels.VectorBits.ShouldBe(128);
        }
        else
        {
            kernels.Description.ShouldStartWith("scalar (no 256-bit vectors), ");
            if (!Vector512.IsHardwareAccelerated)
                kernels.VectorBits.ShouldBe(32);
        }
        new ManagedBackendProvider().Probe().Reason.ShouldBe(kernels.Description);
        using var backend = new ManagedTensorBackend(new BackendOptions { Threads = 1 });
        ((IBackend)backend).CpuKernels.ShouldBe(kernels);
    }

    [Fact]
    public void The_cpu_model_and_its_vector_flags_come_from_cpuinfo()
    {
        const string X86 = """
            processor	: 0
            vendor_id	: AuthenticAMD
            model name	: AMD EPYC 7B13 64-Core Processor
            flags		: fpu sse4_2 avx fma avx2 avx512f avx512_vnni sha_ni
            processor	: 1
            model name	: Another
            """;
        const string Arm = """
            processor	: 0
            Features	: fp asimd evtstrm aes asimddp sve
            CPU implementer	: 0x41
            """;

        CpuIdentity x86 = CpuIdentity.Parse(X86);
        x86.Model.ShouldBe("AMD EPYC 7B13 64-Core Processor");
        x86.Flags.ShouldBe(["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni"]);
        x86.ToString().ShouldBe("AMD EPYC 7B13 64-Core Processor · sse4_2 avx avx2 fma avx512f avx512_vnni");
        CpuIdentity arm = CpuIdentity.Parse(Arm);
        arm.Model.ShouldBeEmpty();
        arm.Flags.ShouldBe(["asimd", "asimddp", "sve"]);
        CpuIdentity.Current().Model.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void The_peak_is_measured_at_the_width_asked_for_or_the_next_one_the_runtime_accelerates()
    {
        MachinePeak scalar = MachinePeak.Measure(32, threads: 1, TimeSpan.FromMilliseconds(20));
        MachinePeak widest = MachinePeak.Measure(null, threads: 1, TimeSpan.FromMilliseconds(20));

        scalar.VectorBits.ShouldBe(32);
        scalar.Threads.ShouldBe(1);
        widest.VectorBits.ShouldBe(Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 32);
        foreach (MachinePeak peak in new[] { scalar, widest })
        {
            double.IsFinite(peak.FmaGflops).ShouldBeTrue();
            peak.FmaGflops.ShouldBeGreaterThan(0);
            double.IsFinite(peak.ReadGBytesPerSecond).ShouldBeTrue();
            peak.ReadGBytesPerSecond.ShouldBeGreaterThan(0);
            peak.ReadBufferMb.ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public void Rates_print_next_to_the_peak_with_the_share_of_it()
    {
        BenchTable.Rate(18.2, 19.0).ShouldBe("18.2 of 19.0 (96%)");
        BenchTable.Width(32).ShouldBe("scalar");
        BenchTable.Width(256).ShouldBe("256-bit");
        StageWork.Gflops(289e6, 5.78).ShouldBe(100, 0.01);
        StageWork.GBytesPerSecond(341e6, 18.7).ShouldBe(18.24, 0.01);
    }

    [Fact]
    public void The_table_shows_the_cpu_the_kernels_the_peaks_and_a_rate_under_every_stage()
    {
        var spread = new Dictionary<string, Measure>();
        foreach (string key in new[] { "voice_prompt_ms", "text_prompt_ms", "flow_step_ms", "mimi_frame_ms", "first_chunk_ms", "rtf" })
            spread[key] = new Measure(10, 9, 11);
        var result = new BenchResult
        {
            Backend = "managed",
            Model = "english",
            Threads = 1,
            Quantized = false,
            Parameters = 109_500_000,
            Frames = 20,
            TextTokens = 40,
            VoiceSeconds = 5,
            LoadMs = 100,
            VoicePromptMs = 1000,
            TextPromptMs = 100,
            FlowStepMs = 20,
            MimiFrameMs = 10,
            FirstChunkMs = 200,
            Rtf = 2,
            PeakWorkingSetMb = 500,
            Spread = spread,
            Kernels = "256-bit (AVX2+FMA), AVX-512 not used",
            Peak = new MachinePeak(256, 1, 100, 20, 512),
            Work = new StageWork(VoicePromptMultiplyAdds: 40_000_000_000, TextPromptMultiplyAdds: 3_500_000_000, MimiFrameMultiplyAdds: 300_000_000, FlowStepBytes: 340_000_000),
        };
        var output = new StringWriter();

        BenchTable.Write(output, [result], new BenchSettings(20, 40, 3, 1), separateProcesses: false, new CpuIdentity("Test CPU", ["avx2", "fma"]));

        string[] lines = output.ToString().Split(Environment.NewLine);
        lines.ShouldContain("CPU: Test CPU · avx2 fma");
        lines.ShouldContain("managed kernels: 256-bit (AVX2+FMA), AVX-512 not used");
        lines.ShouldContain("managed peak on 1 thread(s): 256-bit FMA 100.0 GFLOP/s, read 20.0 GB/s (512 MB)");
        lines.ShouldContain("  GFLOP/s of peak     80.0 of 100.0 (80%)");     // voice prompt: 2 · 40 G / 1 s
        lines.ShouldContain("  GFLOP/s of peak     70.0 of 100.0 (70%)");     // text prompt
        lines.ShouldContain("  GB/s of peak        17.0 of 20.0 (85%)");      // FlowLM step
        lines.ShouldContain("  GFLOP/s of peak     60.0 of 100.0 (60%)");     // Mimi frame
    }
}
