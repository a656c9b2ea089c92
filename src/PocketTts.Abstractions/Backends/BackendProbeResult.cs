namespace PocketTts.Backends;

/// <summary>The answer of <see cref="IBackendProvider.Probe"/>.</summary>
/// <param name="IsAvailable">True when the backend can run on this machine.</param>
/// <param name="Reason">
/// When unavailable: what is missing, precisely (for example "libcudart.so.13 not found"). When available:
/// optional detail such as the device or instruction set in use.
/// </param>
public sealed record BackendProbeResult(bool IsAvailable, string Reason)
{
    /// <summary>An available backend, with optional detail.</summary>
    public static BackendProbeResult Available(string detail = "") => new(true, detail);

    /// <summary>An unavailable backend and the reason.</summary>
    public static BackendProbeResult Unavailable(string reason) => new(false, reason);
}
