using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Handoff.Core.Notifications.Webhooks;

/// <summary>
/// Which addresses webhooks and callbacks may connect to. Anyone who can add an endpoint chooses its URL, so without
/// this a workspace admin could make the server post to its own loopback, to the private network it sits in, or to
/// the cloud metadata service that hands out the machine's credentials (server-side request forgery). Only public
/// addresses are dialled, unless the operator allows a range (<see cref="AllowedNetworks"/>): <c>127.0.0.0/8</c> for
/// tests, <c>10.20.0.0/16</c> for receivers on the operator's own network.
/// </summary>
/// <remarks>
/// A cloud metadata address is allowed only by naming it alone (<c>169.254.169.254/32</c>): allowing the link-local
/// or shared range it sits in does not, since handing out the machine's credentials is never a side effect one wants.
/// </remarks>
public sealed class WebhookAddressPolicy
{
    /// <summary>The default: public addresses only.</summary>
    public static WebhookAddressPolicy PublicOnly { get; } = new([]);

    public WebhookAddressPolicy(IEnumerable<IPNetwork> allowedNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        AllowedNetworks = [.. allowedNetworks];
    }

    /// <summary>The ranges the operator allowed besides public addresses.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; }

    /// <summary>
    /// A policy from configured ranges in CIDR notation (<c>127.0.0.0/8</c>, <c>fd12:3456::/32</c>) or single addresses.
    /// </summary>
    /// <exception cref="FormatException">An entry is not one, naming it.</exception>
    public static WebhookAddressPolicy Parse(IEnumerable<string> allowedNetworks) =>
        TryParse(allowedNetworks, out var policy, out var error) ? policy : throw new FormatException(error);

    /// <summary>As <see cref="Parse"/>; on failure <paramref name="error"/> names the bad entry and says why.</summary>
    public static bool TryParse(IEnumerable<string> allowedNetworks, [NotNullWhen(true)] out WebhookAddressPolicy? policy, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        var networks = new List<IPNetwork>();
        var index = 0;
        foreach (var entry in allowedNetworks)
        {
            var text = entry?.Trim() ?? "";
            // 10.1.2.3/8 is read by IPNetwork as 10.0.0.0/8; in an allow-list that is more likely a slip than a wish
            // to open all of 10/8, so the address must be the range's first.
            if (IPNetwork.TryParse(text, out var network) && IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)), out var first)
                && network.BaseAddress.Equals(first))
            {
                networks.Add(network);
            }
            else if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var single))
            {
                networks.Add(new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                policy = null;
                error = $"Allowed network [{index}] '{text}' is not a CIDR range such as 127.0.0.0/8 or fd00::/8 " +
                    "(the address must be the range's first, with no bits set past the prefix) nor a single IP address.";
                return false;
            }

            index++;
        }

        policy = new WebhookAddressPolicy(networks);
        error = null;
        return true;
    }

    /// <summary>Why <paramref name="address"/> must not be dialled, for people ("address 10.0.0.5 is private (10.0.0.0/8)"); null when it may be.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var found = SpecialPurposeAddresses.Classify(address);
        if (found.IsPublic)
        {
            return null;
        }

        var candidates = found.Address.Equals(address) ? [address] : new[] { address, found.Address };
        var allowed = found.Kind == AddressKind.CloudMetadata
            ? AllowedNetworks.Any(n => n.PrefixLength == (n.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) && candidates.Any(n.Contains))
            : AllowedNetworks.Any(n => candidates.Any(n.Contains));
        if (allowed)
        {
            return null;
        }

        var via = found.Address.Equals(address) ? "" : $" (it leads to {found.Address})";
        return $"address {address}{via} is {Describe(found.Kind)} ({found.Range}); webhooks go to public addresses unless the operator allows the range";
    }

    /// <summary>Whether <paramref name="address"/> may be dialled.</summary>
    public bool Allows(IPAddress address) => Refusal(address) is null;

    private static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Unspecified => "unspecified",
        AddressKind.Loopback => "loopback",
        AddressKind.Private => "private",
        AddressKind.SharedAddressSpace => "in the shared (carrier-grade NAT) range",
        AddressKind.LinkLocal => "link-local",
        AddressKind.Multicast => "multicast",
        AddressKind.Broadcast => "the broadcast address",
        AddressKind.Documentation => "reserved for documentation",
        AddressKind.Benchmarking => "reserved for benchmarking",
        AddressKind.CloudMetadata => "a cloud metadata service",
        _ => "reserved",
    };
}
