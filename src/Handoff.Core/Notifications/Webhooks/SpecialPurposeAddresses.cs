using System.Net;
using System.Net.Sockets;

namespace Handoff.Core.Notifications.Webhooks;

/// <summary>
/// The IPv4 and IPv6 ranges a webhook must not reach on its own say-so, after the IANA special-purpose address
/// registries (RFC 6890 and its updates) and the cloud metadata services. An IPv6 address that carries an IPv4 address
/// (IPv4-mapped <c>::ffff:a.b.c.d</c>, NAT64 <c>64:ff9b::a.b.c.d</c>, 6to4 <c>2002:aabb:ccdd::</c>) is judged by the
/// IPv4 address it leads to, so that <c>::ffff:127.0.0.1</c> is loopback like <c>127.0.0.1</c>.
/// </summary>
public static class SpecialPurposeAddresses
{
    // First match wins: the metadata services sit inside link-local, shared and unique local ranges and must be named first.
    private static readonly (IPNetwork Range, AddressKind Kind)[] V4 =
    [
        (IPNetwork.Parse("169.254.169.254/32"), AddressKind.CloudMetadata),
        (IPNetwork.Parse("100.100.100.200/32"), AddressKind.CloudMetadata),
        (IPNetwork.Parse("255.255.255.255/32"), AddressKind.Broadcast),
        (IPNetwork.Parse("0.0.0.0/8"), AddressKind.Unspecified),
        (IPNetwork.Parse("10.0.0.0/8"), AddressKind.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressKind.SharedAddressSpace),
        (IPNetwork.Parse("127.0.0.0/8"), AddressKind.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressKind.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressKind.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressKind.Reserved),
        (IPNetwork.Parse("192.0.2.0/24"), AddressKind.Documentation),
        (IPNetwork.Parse("192.88.99.0/24"), AddressKind.Reserved),
        (IPNetwork.Parse("192.168.0.0/16"), AddressKind.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressKind.Benchmarking),
        (IPNetwork.Parse("198.51.100.0/24"), AddressKind.Documentation),
        (IPNetwork.Parse("203.0.113.0/24"), AddressKind.Documentation),
        (IPNetwork.Parse("224.0.0.0/4"), AddressKind.Multicast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressKind.Reserved),
    ];

    private static readonly (IPNetwork Range, AddressKind Kind)[] V6 =
    [
        (IPNetwork.Parse("fd00:ec2::254/128"), AddressKind.CloudMetadata),
        (IPNetwork.Parse("::/128"), AddressKind.Unspecified),
        (IPNetwork.Parse("::1/128"), AddressKind.Loopback),
        (IPNetwork.Parse("2001:db8::/32"), AddressKind.Documentation),
        (IPNetwork.Parse("2001::/23"), AddressKind.Reserved),
        (IPNetwork.Parse("3fff::/20"), AddressKind.Documentation),
        (IPNetwork.Parse("fc00::/7"), AddressKind.Private),
        (IPNetwork.Parse("fe80::/10"), AddressKind.LinkLocal),
        (IPNetwork.Parse("ff00::/8"), AddressKind.Multicast),
        // Only 2000::/3 is allocated for global unicast; the rest of the space (::/96 IPv4-compatible, 100::/64 discard,
        // the NAT64 local-use prefix, fec0::/10 site-local, 5f00::/16 SRv6…) is reserved.
        (IPNetwork.Parse("::/3"), AddressKind.Reserved),
        (IPNetwork.Parse("4000::/2"), AddressKind.Reserved),
        (IPNetwork.Parse("8000::/2"), AddressKind.Reserved),
        (IPNetwork.Parse("c000::/3"), AddressKind.Reserved),
        (IPNetwork.Parse("e000::/4"), AddressKind.Reserved),
        (IPNetwork.Parse("f000::/5"), AddressKind.Reserved),
        (IPNetwork.Parse("f800::/6"), AddressKind.Reserved),
        (IPNetwork.Parse("fe00::/9"), AddressKind.Reserved),
        (IPNetwork.Parse("fec0::/10"), AddressKind.Reserved),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>What <paramref name="address"/> is; <see cref="AddressKind.Public"/> when no special range holds it.</summary>
    public static AddressClass Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Embedded(address) is { } v4)
        {
            return Classify(v4);
        }

        var table = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => V4,
            AddressFamily.InterNetworkV6 => V6,
            _ => throw new ArgumentException($"Not an IP address: {address}.", nameof(address)),
        };
        foreach (var (range, kind) in table)
        {
            if (range.Contains(address))
            {
                return new AddressClass(kind, range, address);
            }
        }

        return new AddressClass(AddressKind.Public, null, address);
    }

    /// <summary>The IPv4 address an IPv6 address leads to (IPv4-mapped, NAT64 well-known prefix, 6to4), or null.</summary>
    internal static IPAddress? Embedded(IPAddress v6)
    {
        if (v6.IsIPv4MappedToIPv6)
        {
            return v6.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        v6.TryWriteBytes(bytes, out _);
        if (Nat64.Contains(v6))
        {
            return new IPAddress(bytes[12..]);
        }

        return SixToFour.Contains(v6) ? new IPAddress(bytes[2..6]) : null;
    }
}
