using System.Net;
using Handoff.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Handoff.Server.Tests.Auth;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Of_ACaller_CountsIPv4ByAddressAndIPv6ByItsSlash64(string remote, string expected)
    {
        var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(remote) } };

        Assert.Equal(expected, ClientAddress.Of(context));
    }
}
