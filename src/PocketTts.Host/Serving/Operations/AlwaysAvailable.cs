using Microsoft.AspNetCore.Builder;

namespace PocketTts.Host.Serving.Operations;

/// <summary>
/// Endpoint metadata: this endpoint answers in every <see cref="ReadinessState"/> (probes, metrics, the API document),
/// because a load balancer or an operator asks it precisely while the server loads or drains.
/// </summary>
internal sealed class AlwaysAvailable
{
    public static readonly AlwaysAvailable Instance = new();

    private AlwaysAvailable()
    {
    }
}

/// <summary>Marks endpoints <see cref="AlwaysAvailable"/>.</summary>
internal static class AlwaysAvailableExtensions
{
    public static TBuilder AvailableWhileNotReady<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AlwaysAvailable.Instance);
}
