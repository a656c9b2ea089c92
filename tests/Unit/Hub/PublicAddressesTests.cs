using System.Net;
using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

/// <summary>The address classifier behind voice URLs: every special-purpose range is refused, public unicast is not.</summary>
public sealed class PublicAddressesTests
{
    [Theory]
    [InlineData("0.0.0.0")]              // unspecified
    [InlineData("0.1.2.3")]              // "this network"
    [InlineData("10.0.0.1")]             // RFC 1918
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]           // CGNAT
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]            // loopback
    [InlineData("127.255.0.9")]
    [InlineData("169.254.169.254")]      // link-local: cloud metadata
    [InlineData("172.16.0.1")]           // RFC 1918
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.8")]            // IETF protocol assignments
    [InlineData("192.0.2.10")]           // documentation
    [InlineData("192.88.99.1")]          // 6to4 relay anycast
    [InlineData("192.168.1.1")]          // RFC 1918
    [InlineData("198.18.0.1")]           // benchmarking
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]         // documentation
    [InlineData("203.0.113.200")]        // documentation
    [InlineData("224.0.0.251")]          // multicast
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]            // reserved
    [InlineData("255.255.255.255")]      // broadcast
    [InlineData("::")]                   // unspecified
    [InlineData("::1")]                  // loopback
    [InlineData("::ffff:127.0.0.1")]     // IPv4-mapped loopback
    [InlineData("::ffff:10.1.2.3")]      // IPv4-mapped private
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]          // IPv4-compatible (deprecated)
    [InlineData("64:ff9b::a00:1")]       // NAT64 of 10.0.0.1
    [InlineData("64:ff9b::7f00:1")]      // NAT64 of 127.0.0.1
    [InlineData("100::1")]               // discard prefix
    [InlineData("2001:db8::1")]          // documentation
    [InlineData("3fff::1")]              // documentation (RFC 9637)
    [InlineData("2001::1")]              // Teredo
    [InlineData("2001:10::1")]           // ORCHID
    [InlineData("2002:a00:1::1")]        // 6to4 of 10.0.0.1
    [InlineData("2002:7f00:1::1")]       // 6to4 of 127.0.0.1
    [InlineData("fc00::1")]              // unique local
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fe80::1")]              // link-local
    [InlineData("febf::1")]
    [InlineData("fec0::1")]              // site-local (deprecated)
    [InlineData("ff02::1")]              // multicast
    public void Special_purpose_addresses_are_not_public(string address) =>
        PublicAddresses.IsPublic(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("9.255.255.255")]        // just below 10/8
    [InlineData("11.0.0.0")]             // just above 10/8
    [InlineData("100.63.255.255")]       // just below CGNAT
    [InlineData("100.128.0.0")]          // just above CGNAT
    [InlineData("128.0.0.1")]            // just above 127/8
    [InlineData("169.253.255.255")]
    [InlineData("172.15.255.255")]       // just below 172.16/12
    [InlineData("172.32.0.0")]           // just above
    [InlineData("192.167.255.255")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]      // just below multicast
    [InlineData("2606:4700:4700::1111")] // global unicast
    [InlineData("2a00:1450:4001::200e")]
    [InlineData("::ffff:8.8.8.8")]       // IPv4-mapped public
    [InlineData("64:ff9b::808:808")]     // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")]      // 6to4 of 8.8.8.8
    [InlineData("2001:200::1")]          // just past the IETF block
    public void Public_unicast_addresses_are_public(string address) =>
        PublicAddresses.IsPublic(IPAddress.Parse(address)).ShouldBeTrue();
}
