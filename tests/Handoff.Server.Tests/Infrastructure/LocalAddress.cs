using System.Net;
using System.Net.Sockets;

namespace Handoff.Server.Tests.Infrastructure;

/// <summary>
/// HTTP handlers whose connections leave from a chosen loopback address (all of 127.0.0.0/8 reaches the server on
/// 127.0.0.1), so one test can be two clients the server tells apart by address.
/// </summary>
internal static class LocalAddress
{
    public static readonly IPAddress Person = IPAddress.Parse("127.0.0.1");
    public static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.2");

    /// <summary>A handler connecting from <paramref name="local"/>, with <paramref name="cookies"/> and no automatic redirects.</summary>
    public static SocketsHttpHandler Handler(IPAddress local, CookieContainer cookies) => new()
    {
        CookieContainer = cookies,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
