using System.Net;
using System.Net.Sockets;

namespace Handoff.Server.Auth;

/// <summary>Who is guessing, as the limits on guessing count them: the client's address as the server sees it.</summary>
internal static class ClientAddress
{
    /// <summary>
    /// The connection's remote address (the proxy's, unless forwarded headers are trusted: see docs/operations.md). An
    /// IPv6 client counts by its /64, since one host is usually given the whole /64 and could otherwise take a new
    /// address for every guess.
    /// </summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
