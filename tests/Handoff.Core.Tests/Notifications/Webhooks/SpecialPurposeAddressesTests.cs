using System.Net;
using Handoff.Core.Notifications.Webhooks;

namespace Handoff.Core.Tests.Notifications.Webhooks;

public sealed class SpecialPurposeAddressesTests
{
    public static TheoryData<string, AddressKind, string?> Addresses() => new()
    {
        // IPv4
        { "8.8.8.8", AddressKind.Public, null },
        { "1.1.1.1", AddressKind.Public, null },
        { "93.184.215.14", AddressKind.Public, null },
        { "0.0.0.0", AddressKind.Unspecified, "0.0.0.0/8" },
        { "0.1.2.3", AddressKind.Unspecified, "0.0.0.0/8" },
        { "127.0.0.1", AddressKind.Loopback, "127.0.0.0/8" },
        { "127.255.255.254", AddressKind.Loopback, "127.0.0.0/8" },
        { "10.0.0.5", AddressKind.Private, "10.0.0.0/8" },
        { "172.16.0.1", AddressKind.Private, "172.16.0.0/12" },
        { "172.31.255.255", AddressKind.Private, "172.16.0.0/12" },
        { "172.15.255.255", AddressKind.Public, null },
        { "172.32.0.0", AddressKind.Public, null },
        { "192.168.1.1", AddressKind.Private, "192.168.0.0/16" },
        { "100.64.0.1", AddressKind.SharedAddressSpace, "100.64.0.0/10" },
        { "100.127.255.255", AddressKind.SharedAddressSpace, "100.64.0.0/10" },
        { "100.128.0.0", AddressKind.Public, null },
        { "169.254.1.1", AddressKind.LinkLocal, "169.254.0.0/16" },
        { "169.254.169.254", AddressKind.CloudMetadata, "169.254.169.254/32" },
        { "100.100.100.200", AddressKind.CloudMetadata, "100.100.100.200/32" },
        { "224.0.0.1", AddressKind.Multicast, "224.0.0.0/4" },
        { "239.255.255.250", AddressKind.Multicast, "224.0.0.0/4" },
        { "255.255.255.255", AddressKind.Broadcast, "255.255.255.255/32" },
        { "240.0.0.1", AddressKind.Reserved, "240.0.0.0/4" },
        { "192.0.0.8", AddressKind.Reserved, "192.0.0.0/24" },
        { "192.88.99.1", AddressKind.Reserved, "192.88.99.0/24" },
        { "192.0.2.10", AddressKind.Documentation, "192.0.2.0/24" },
        { "198.51.100.7", AddressKind.Documentation, "198.51.100.0/24" },
        { "203.0.113.9", AddressKind.Documentation, "203.0.113.0/24" },
        { "198.18.0.1", AddressKind.Benchmarking, "198.18.0.0/15" },
        { "198.19.255.255", AddressKind.Benchmarking, "198.18.0.0/15" },
        { "198.20.0.0", AddressKind.Public, null },
        // IPv6
        { "2606:4700:4700::1111", AddressKind.Public, null },
        { "2a00:1450:4001:80b::200e", AddressKind.Public, null },
        { "::", AddressKind.Unspecified, "::/128" },
        { "::1", AddressKind.Loopback, "::1/128" },
        { "fc00::1", AddressKind.Private, "fc00::/7" },
        { "fd12:3456:789a::1", AddressKind.Private, "fc00::/7" },
        { "fd00:ec2::254", AddressKind.CloudMetadata, "fd00:ec2::254/128" },
        { "fe80::1", AddressKind.LinkLocal, "fe80::/10" },
        { "febf:ffff::1", AddressKind.LinkLocal, "fe80::/10" },
        { "fec0::1", AddressKind.Reserved, "fec0::/10" },
        { "ff02::1", AddressKind.Multicast, "ff00::/8" },
        { "2001:db8::1", AddressKind.Documentation, "2001:db8::/32" },
        { "3fff::1", AddressKind.Documentation, "3fff::/20" },
        { "2001::1", AddressKind.Reserved, "2001::/23" }, // Teredo
        { "100::1", AddressKind.Reserved, "::/3" }, // discard-only
        { "::7f00:1", AddressKind.Reserved, "::/3" }, // IPv4-compatible 127.0.0.1 (deprecated)
        { "64:ff9b:1::a00:1", AddressKind.Reserved, "::/3" }, // local-use NAT64
        { "5f00::1", AddressKind.Reserved, "4000::/2" }, // SRv6 SIDs
        { "4000::1", AddressKind.Reserved, "4000::/2" },
        // IPv6 forms of IPv4 addresses are judged by the IPv4 address
        { "::ffff:127.0.0.1", AddressKind.Loopback, "127.0.0.0/8" },
        { "::ffff:10.1.2.3", AddressKind.Private, "10.0.0.0/8" },
        { "::ffff:169.254.169.254", AddressKind.CloudMetadata, "169.254.169.254/32" },
        { "::ffff:100.64.0.1", AddressKind.SharedAddressSpace, "100.64.0.0/10" },
        { "::ffff:0.0.0.0", AddressKind.Unspecified, "0.0.0.0/8" },
        { "::ffff:255.255.255.255", AddressKind.Broadcast, "255.255.255.255/32" },
        { "::ffff:224.0.0.1", AddressKind.Multicast, "224.0.0.0/4" },
        { "::ffff:8.8.8.8", AddressKind.Public, null },
        { "64:ff9b::7f00:1", AddressKind.Loopback, "127.0.0.0/8" }, // NAT64 of 127.0.0.1
        { "64:ff9b::a9fe:a9fe", AddressKind.CloudMetadata, "169.254.169.254/32" },
        { "64:ff9b::808:808", AddressKind.Public, null },
        { "2002:c0a8:0101::1", AddressKind.Private, "192.168.0.0/16" }, // 6to4 of 192.168.1.1
        { "2002:0808:0808::1", AddressKind.Public, null },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public void Classify_NamesTheKindAndTheRange(string address, AddressKind kind, string? range)
    {
        var found = SpecialPurposeAddresses.Classify(IPAddress.Parse(address));

        Assert.Equal((kind, range), (found.Kind, found.Range?.ToString()));
        Assert.Equal(kind == AddressKind.Public, found.IsPublic);
    }

    [Fact]
    public void Classify_AMappedAddress_ReportsTheIPv4AddressItLeadsTo()
    {
        Assert.Equal(IPAddress.Parse("10.1.2.3"), SpecialPurposeAddresses.Classify(IPAddress.Parse("::ffff:10.1.2.3")).Address);
        Assert.Equal(IPAddress.Parse("::1"), SpecialPurposeAddresses.Classify(IPAddress.IPv6Loopback).Address);
    }
}
