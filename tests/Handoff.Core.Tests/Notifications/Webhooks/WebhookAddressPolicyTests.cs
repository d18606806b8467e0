using System.Net;
using Handoff.Core.Notifications.Webhooks;

namespace Handoff.Core.Tests.Notifications.Webhooks;

public sealed class WebhookAddressPolicyTests
{
    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    [Theory]
    [InlineData("127.0.0.1", "address 127.0.0.1 is loopback (127.0.0.0/8)")]
    [InlineData("10.0.0.5", "address 10.0.0.5 is private (10.0.0.0/8)")]
    [InlineData("169.254.169.254", "address 169.254.169.254 is a cloud metadata service (169.254.169.254/32)")]
    [InlineData("100.64.1.1", "address 100.64.1.1 is in the shared (carrier-grade NAT) range (100.64.0.0/10)")]
    [InlineData("::1", "address ::1 is loopback (::1/128)")]
    [InlineData("::ffff:127.0.0.1", "address ::ffff:127.0.0.1 (it leads to 127.0.0.1) is loopback (127.0.0.0/8)")]
    [InlineData("fd00:ec2::254", "address fd00:ec2::254 is a cloud metadata service (fd00:ec2::254/128)")]
    public void PublicOnly_RefusesSpecialAddresses_SayingWhy(string address, string reason)
    {
        var refusal = WebhookAddressPolicy.PublicOnly.Refusal(Ip(address));

        Assert.Equal(reason + "; webhooks go to public addresses unless the operator allows the range", refusal);
        Assert.False(WebhookAddressPolicy.PublicOnly.Allows(Ip(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicOnly_AllowsPublicAddresses(string address)
    {
        Assert.Null(WebhookAddressPolicy.PublicOnly.Refusal(Ip(address)));
    }

    [Fact]
    public void AnAllowedRange_AllowsItsAddresses_InEveryForm_AndNothingElse()
    {
        var policy = WebhookAddressPolicy.Parse(["127.0.0.0/8"]);

        Assert.True(policy.Allows(Ip("127.0.0.1")));
        Assert.True(policy.Allows(Ip("127.1.2.3")));
        Assert.True(policy.Allows(Ip("::ffff:127.0.0.1")));
        Assert.True(policy.Allows(Ip("64:ff9b::7f00:1")));
        Assert.False(policy.Allows(Ip("::1")));
        Assert.False(policy.Allows(Ip("10.0.0.1")));
    }

    [Fact]
    public void AnAllowedIPv6Range_AllowsItsAddresses()
    {
        var policy = WebhookAddressPolicy.Parse(["::1/128", "fd12:3456::/32"]);

        Assert.True(policy.Allows(Ip("::1")));
        Assert.True(policy.Allows(Ip("fd12:3456:1::9")));
        Assert.False(policy.Allows(Ip("fd12:3457::1")));
        Assert.False(policy.Allows(Ip("127.0.0.1")));
    }

    [Fact]
    public void AllowingTheRangeAroundAMetadataService_DoesNotAllowTheService()
    {
        var policy = WebhookAddressPolicy.Parse(["169.254.0.0/16", "100.64.0.0/10", "fd00::/8"]);

        Assert.True(policy.Allows(Ip("169.254.10.10")));
        Assert.True(policy.Allows(Ip("100.100.100.1")));
        Assert.False(policy.Allows(Ip("169.254.169.254")));
        Assert.False(policy.Allows(Ip("::ffff:169.254.169.254")));
        Assert.False(policy.Allows(Ip("100.100.100.200")));
        Assert.False(policy.Allows(Ip("fd00:ec2::254")));
    }

    [Fact]
    public void NamingAMetadataServiceAlone_AllowsIt()
    {
        var policy = WebhookAddressPolicy.Parse(["169.254.169.254/32", "fd00:ec2::254"]);

        Assert.True(policy.Allows(Ip("169.254.169.254")));
        Assert.True(policy.Allows(Ip("fd00:ec2::254")));
        Assert.False(policy.Allows(Ip("169.254.169.253")));
    }

    [Fact]
    public void Parse_TakesSingleAddressesAndTrimsEntries()
    {
        var policy = WebhookAddressPolicy.Parse([" 10.1.2.3 ", "::1"]);

        Assert.Equal(["10.1.2.3/32", "::1/128"], policy.AllowedNetworks.Select(n => n.ToString()));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1/8")] // bits set past the prefix: a typo for 127.0.0.0/8 that would silently mean something else
    [InlineData("10.0.0.0/33")]
    [InlineData("")]
    public void Parse_ABadEntry_NamesIt(string entry)
    {
        Assert.False(WebhookAddressPolicy.TryParse(["127.0.0.0/8", entry], out var policy, out var error));
        Assert.Null(policy);
        Assert.StartsWith($"Allowed network [1] '{entry}' is not a CIDR range", error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => WebhookAddressPolicy.Parse([entry]));
    }
}
