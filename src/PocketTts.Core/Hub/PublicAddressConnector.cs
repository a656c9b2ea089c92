using System.Net;
using System.Net.Sockets;

namespace PocketTts.Hub;

/// <summary>
/// The connect step of an HTTP client that reaches public addresses only (<see cref="SocketsHttpHandler.ConnectCallback"/>).
/// It resolves the host itself and connects to exactly the addresses it checked, so a name that resolves to a
/// public address for a check and to a private one for the connection (DNS rebinding) cannot slip through; every
/// redirect opens its connection here too.
/// </summary>
internal static class PublicAddressConnector
{
    /// <summary>The text of every refusal: it names no address, so it tells nothing about the private network.</summary>
    public const string Refusal = "the host resolves to a loopback, private, link-local or other non-public address, which voice URLs may not reach " +
                                  "(allow them with --allow-private-voice-urls)";

    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        DnsEndPoint endpoint = context.DnsEndPoint;
        IPAddress[] addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        // All or nothing: a name with one public and one private address could otherwise be steered to the private one.
        if (addresses.Length == 0 || !addresses.All(PublicAddresses.IsPublic))
            throw new HubException(HubErrorKind.Refused, Refusal);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            if (socket.RemoteEndPoint is not IPEndPoint connected || !PublicAddresses.IsPublic(connected.Address))
                throw new HubException(HubErrorKind.Refused, Refusal);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
