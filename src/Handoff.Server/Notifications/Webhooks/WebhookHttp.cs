using System.Net;
using System.Net.Sockets;
using Handoff.Core.Notifications.Webhooks;

namespace Handoff.Server.Notifications.Webhooks;

/// <summary>
/// The HTTP handler webhooks are sent through, shut against server-side request forgery. The check happens where the
/// connection is made, not when the URL is accepted: it resolves the host itself, checks every address against the
/// policy, and connects to a checked address — the very one, with no second lookup that a rebinding DNS server could
/// answer differently. Redirects are not followed (a public receiver could otherwise send the server inside), and no
/// proxy is used (the proxy would make the connection, to addresses nobody checked).
/// </summary>
internal static class WebhookHttp
{
    /// <summary>A handler whose every connection obeys <paramref name="policy"/>. Share it: it pools connections.</summary>
    public static SocketsHttpHandler CreateHandler(WebhookAddressPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            // The answer is read capped in bytes on the wire; decompressing could turn a small answer into a huge one.
            AutomaticDecompression = DecompressionMethods.None,
            // A pooled connection keeps the address it was checked for; a name that moved is looked up (and checked) again within a minute.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
        };
    }

    private static async ValueTask<Stream> ConnectAsync(WebhookAddressPolicy policy, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var host = endpoint.Host;
        var addresses = IPAddress.TryParse(host.AsSpan().Trim("[]"), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);

        // Only allowed addresses are dialled. A name that resolves to a public and a private address is not refused
        // outright (localhost is 127.0.0.1 and ::1, and an operator may allow only one), but the private one is never tried.
        var allowed = new List<IPAddress>(addresses.Length);
        string? refusal = null;
        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } why)
            {
                refusal ??= why;
            }
            else
            {
                allowed.Add(address);
            }
        }

        if (allowed.Count == 0)
        {
            throw new RefusedAddressException(refusal ?? $"{host} resolves to no address");
        }

        SocketException? last = null;
        foreach (var checkedAddress in allowed)
        {
            // An IPv4-mapped address is dialled as the IPv4 address it is (checked as such above): a plain IPv6 socket
            // cannot reach it where the stack is not dual-mode.
            var address = checkedAddress.IsIPv4MappedToIPv6 ? checkedAddress.MapToIPv4() : checkedAddress;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
