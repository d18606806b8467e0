using System.Net;

namespace Handoff.Core.Notifications.Webhooks;

/// <summary>What <see cref="SpecialPurposeAddresses.Classify"/> found an address to be.</summary>
/// <param name="Kind">The kind of the address (of the IPv4 address inside it, for IPv4-mapped, NAT64 and 6to4 forms).</param>
/// <param name="Range">The registered range it falls in; null for a public address.</param>
/// <param name="Address">The address classified: the given one, or the IPv4 address embedded in it.</param>
public sealed record AddressClass(AddressKind Kind, IPNetwork? Range, IPAddress Address)
{
    public bool IsPublic => Kind == AddressKind.Public;
}
