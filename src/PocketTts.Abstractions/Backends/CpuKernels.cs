namespace PocketTts.Backends;

/// <summary>
/// The CPU code a backend instance runs in this process. Runtime settings such as <c>DOTNET_EnableAVX2=0</c> change
/// it without changing the CPU, so it is read from the process that runs the backend, not from the CPU's flags.
/// </summary>
/// <param name="VectorBits">
/// The widest vector any of its kernels uses here: 512, 256, 128, or 32 where every kernel runs scalar. Peak
/// throughput is measured at this width.
/// </param>
/// <param name="Description">One line for people, for example "256-bit (AVX2+FMA), AVX-512 not used".</param>
public sealed record CpuKernels(int VectorBits, string Description);
