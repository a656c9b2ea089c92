using System.Net;
using System.Net.Sockets;

namespace PocketTts.Hub;

/// <summary>
/// Whether an IP address is a public unicast address, the only kind a URL from an untrusted source may make this
/// process connect to. Everything else reaches this machine or its private networks (loopback, RFC 1918, CGNAT,
/// link-local with cloud metadata at 169.254.169.254, unique-local) or nothing legitimate (unspecified,
/// documentation, benchmarking, multicast, reserved). IPv6 addresses that carry an IPv4 address (mapped,
/// NAT64, 6to4) are judged by that address.
/// </summary>
internal static class PublicAddresses
{
    // IPv4 ranges that are not public (IANA special-purpose registry, RFC 6890 and its updates): base, prefix length.
    private static readonly (uint Base, int Bits)[] NonPublicV4 =
    [
        (0x00000000, 8),    // 0.0.0.0/8       "this network", unspecified
        (0x0A000000, 8),    // 10.0.0.0/8      private (RFC 1918)
        (0x64400000, 10),   // 100.64.0.0/10   carrier-grade NAT (RFC 6598)
        (0x7F000000, 8),    // 127.0.0.0/8     loopback
        (0xA9FE0000, 16),   // 169.254.0.0/16  link-local, cloud metadata services
        (0xAC100000, 12),   // 172.16.0.0/12   private
        (0xC0000000, 24),   // 192.0.0.0/24    IETF protocol assignments
        (0xC0000200, 24),   // 192.0.2.0/24    documentation (TEST-NET-1)
        (0xC0586300, 24),   // 192.88.99.0/24  6to4 relay anycast
        (0xC0A80000, 16),   // 192.168.0.0/16  private
        (0xC6120000, 15),   // 198.18.0.0/15   benchmarking
        (0xC6336400, 24),   // 198.51.100.0/24 documentation (TEST-NET-2)
        (0xCB007100, 24),   // 203.0.113.0/24  documentation (TEST-NET-3)
        (0xE0000000, 4),    // 224.0.0.0/4     multicast
        (0xF0000000, 4),    // 240.0.0.0/4     reserved, and 255.255.255.255 broadcast
    ];

    /// <summary>True for a public unicast address; false for every special-purpose range listed above.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return IsPublicV4(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        if (address.IsIPv4MappedToIPv6)
            return IsPublicV4(address.MapToIPv4());

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        // Only global unicast (2000::/3) can be public: this excludes ::, ::1, IPv4-compatible ::/96, 100::/64,
        // unique-local fc00::/7, link-local fe80::/10, site-local fec0::/10 and multicast ff00::/8 at once.
        if ((b[0] & 0xE0) != 0x20)
            return NatSixtyFour(b) is { } embedded ? IsPublicV4(embedded) : false;
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
            return false;                               // 2001:db8::/32 documentation
        if (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0)
            return false;                               // 3fff::/20 documentation (RFC 9637)
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02)
            return false;                               // 2001::/23 IETF protocol assignments (Teredo, ORCHID, …)
        if (b[0] == 0x20 && b[1] == 0x02)
            return IsPublicV4(new IPAddress(b.Slice(2, 4)));   // 6to4: 2002:AABB:CCDD::/48 carries A.B.C.D
        return true;
    }

    private static bool IsPublicV4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        uint value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        foreach ((uint range, int bits) in NonPublicV4)
        {
            if ((value ^ range) >> (32 - bits) == 0)
                return false;
        }
        return true;
    }

    /// <summary>The IPv4 address inside the NAT64 well-known prefix 64:ff9b::/96, or null.</summary>
    private static IPAddress? NatSixtyFour(ReadOnlySpan<byte> b) =>
        b[..12].SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]) ? new IPAddress(b[12..]) : null;
}
