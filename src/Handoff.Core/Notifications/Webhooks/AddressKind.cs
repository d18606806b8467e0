namespace Handoff.Core.Notifications.Webhooks;

/// <summary>What an IP address is, by the IANA special-purpose address registries: only <see cref="Public"/> ones are dialled by default.</summary>
public enum AddressKind
{
    /// <summary>A globally routable unicast address.</summary>
    Public,

    /// <summary>0.0.0.0/8, <c>::</c>: "this host", which many stacks treat as the local machine.</summary>
    Unspecified,

    /// <summary>127.0.0.0/8, <c>::1</c>.</summary>
    Loopback,

    /// <summary>10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, and IPv6 unique local fc00::/7.</summary>
    Private,

    /// <summary>100.64.0.0/10, the carrier-grade NAT shared address space.</summary>
    SharedAddressSpace,

    /// <summary>169.254.0.0/16, fe80::/10.</summary>
    LinkLocal,

    /// <summary>224.0.0.0/4, ff00::/8.</summary>
    Multicast,

    /// <summary>255.255.255.255.</summary>
    Broadcast,

    /// <summary>192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20.</summary>
    Documentation,

    /// <summary>198.18.0.0/15.</summary>
    Benchmarking,

    /// <summary>Any other range set aside by the IETF (240.0.0.0/4, 192.0.0.0/24, 2001::/23, IPv6 outside 2000::/3…).</summary>
    Reserved,

    /// <summary>
    /// A cloud provider's instance metadata service (169.254.169.254, fd00:ec2::254, 100.100.100.200), which hands out
    /// the machine's credentials to whoever asks: the classic target of server-side request forgery.
    /// </summary>
    CloudMetadata,
}
