using PocketTts.Backends;

namespace PocketTts.Tests.Unit.Backends.Torch;

[Collection(TorchPlugin.Collection)]
public sealed class TorchBackendProviderTests
{
    [Fact]
    public void Torch_is_available_on_the_CPU_with_the_LibTorch_version()
    {
        var entry = TorchPlugin.Entry("torch");

        entry.Probe.IsAvailable.ShouldBeTrue(entry.Probe.Reason);
        entry.Probe.Reason.ShouldStartWith("LibTorch 2.10.0");
        entry.Description.ShouldBe("LibTorch (TorchSharp) on the CPU");
        entry.Plugin.Folder.ShouldBe(TorchPlugin.Folder);
    }

    [Fact]
    public void Torch_cuda_says_precisely_why_it_cannot_run()
    {
        var entry = TorchPlugin.Entry("torch-cuda");
        if (entry.Probe.IsAvailable)
        {
            entry.Probe.Reason.ShouldContain("CUDA device(s)");
            return;
        }

        // This repository's plugin carries the CPU LibTorch, so the first missing piece is LibTorch's CUDA library;
        // with it installed, the driver and then the device are what the reason names.
        string reason = entry.Probe.Reason;
        bool cudaLibTorch = File.Exists(Path.Combine(TorchPlugin.Folder, "libtorch_cuda.so"));
        if (!cudaLibTorch)
            reason.ShouldBe($"LibTorch with CUDA is not installed: {TorchPlugin.Folder} holds the CPU-only LibTorch (no libtorch_cuda.so). Put LibTorch 2.10.0 for CUDA 12.8 there, as docs/backends.md describes.");
        else
            reason.ShouldMatch("libcuda\\.so\\.1 was not found|torch\\.cuda\\.is_available\\(\\) is false");
    }

    [Fact]
    public void Creating_an_unavailable_backend_throws_with_the_reason()
    {
        if (TorchPlugin.CudaUnavailableReason is not { } reason)
            return;   // torch-cuda runs here; TorchCudaTests cover it.

        Should.Throw<BackendUnavailableException>(() => TorchPlugin.Create("torch-cuda"))
            .Message.ShouldBe($"Backend 'torch-cuda' is not available here: {reason}");
    }

    [Fact]
    public void The_thread_count_sets_LibTorchs_intra_op_threads()
    {
        using (TorchPlugin.Create(threads: 2))
            TorchPlugin.Entry("torch").Provider!.Probe().Reason.ShouldEndWith(", 2 intra-op threads");
        using (TorchPlugin.Create(threads: 1))
            TorchPlugin.Entry("torch").Provider!.Probe().Reason.ShouldEndWith(", 1 intra-op threads");

        Should.Throw<ArgumentOutOfRangeException>(() => TorchPlugin.Create(threads: -1));
    }
}
