namespace PocketTts.Host.Serving.Operations;

/// <summary>
/// Whether the server takes work: not while the model and default voice load (the port is already open, so probes get
/// an answer), then until it starts draining on shutdown. <c>/ready</c> reports it, and <see cref="ReadinessGate"/>
/// refuses work outside <see cref="ReadinessState.Ready"/>. Thread-safe.
/// </summary>
internal sealed class ServerReadiness
{
    private SpeechServer? _server;
    private volatile bool _draining;

    public ReadinessState State => _draining ? ReadinessState.Draining : Volatile.Read(ref _server) is null ? ReadinessState.Loading : ReadinessState.Ready;

    /// <summary>What the endpoints share, once loaded.</summary>
    /// <exception cref="InvalidOperationException">Still loading (the gate keeps requests from getting here).</exception>
    public SpeechServer Server => Volatile.Read(ref _server) ?? throw new InvalidOperationException("The model is still loading.");

    /// <summary>The model and default voice are loaded: requests are served from now on.</summary>
    public void Open(SpeechServer server)
    {
        if (Interlocked.CompareExchange(ref _server, server, null) is not null)
            throw new InvalidOperationException("The server is already open.");
    }

    /// <summary>Shutdown started: no new work from now on; what runs may finish.</summary>
    public void BeginDraining() => _draining = true;
}

/// <summary>The states <c>/ready</c> reports.</summary>
internal enum ReadinessState
{
    /// <summary>The model or the default voice is still loading.</summary>
    Loading,

    /// <summary>Serving.</summary>
    Ready,

    /// <summary>Stopping: generations in flight finish, new requests are refused.</summary>
    Draining,
}
