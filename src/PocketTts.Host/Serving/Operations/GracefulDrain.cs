using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PocketTts.Host.Serving.Operations;

/// <summary>
/// Shutdown (SIGTERM, Ctrl+C, or the host stopped) drains before Kestrel closes: the server stops taking work
/// (<see cref="ServerReadiness.BeginDraining"/>, so <c>/ready</c> answers 503 and new requests get 503), the
/// generations running or queued finish, and only then do the listeners close. The host's shutdown timeout
/// (<c>--shutdown-timeout</c>) bounds the wait: past it, <see cref="CutOff"/> stops the streams still running.
/// </summary>
internal sealed class GracefulDrain(ServerReadiness readiness, GenerationLimiter limiter, ILogger<GracefulDrain> logger) : IHostedLifecycleService, IDisposable
{
    // How often the drain looks whether generations are left: a shutdown may wait this much longer than needed.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _cutOff = new();

    /// <summary>Cancelled when the drain ran out of time (or the host stopped): streams still running end there.</summary>
    public CancellationToken CutOff => _cutOff.Token;

    // Runs before every hosted service's StopAsync, Kestrel's included, so the port still answers while it waits.
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.BeginDraining();
        int running = limiter.Running + limiter.Waiting;
        if (running > 0)
            logger.LogInformation("Draining: waiting for {Count} generation(s) to finish.", running);
        try
        {
            while (limiter.Running + limiter.Waiting > 0)
                await Task.Delay(PollInterval, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("The shutdown timeout passed with {Count} generation(s) still running: they are cut off.", limiter.Running + limiter.Waiting);
            await _cutOff.CancelAsync();
        }
    }

    public async Task StoppedAsync(CancellationToken cancellationToken) => await _cutOff.CancelAsync();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _cutOff.Dispose();
}
