using Handoff.Core.Notifications.Webhooks;

namespace Handoff.Core.Tests.Notifications.Webhooks;

public sealed class WebhookUrlTests
{
    [Theory]
    [InlineData("https://hooks.example.com/handoff")]
    [InlineData("http://127.0.0.1:5000/hook?x=1")]
    [InlineData("https://[2606:4700::1]/hook")]
    public void TryParse_AnAbsoluteHttpUrl_IsAccepted(string url)
    {
        Assert.True(WebhookUrl.TryParse(url, out var uri, out var error));
        Assert.Null(error);
        Assert.Equal(url, uri.OriginalString);
    }

    [Theory]
    [InlineData(null, "A URL is required.")]
    [InlineData(" ", "A URL is required.")]
    [InlineData("/hooks/handoff", "The URL must be absolute, such as https://example.com/hooks/handoff.")]
    [InlineData("hooks.example.com/handoff", "The URL must be absolute, such as https://example.com/hooks/handoff.")]
    [InlineData("ftp://example.com/x", "The URL's scheme is 'ftp'; webhooks are posted over http or https only.")]
    [InlineData("file:///etc/passwd", "The URL's scheme is 'file'; webhooks are posted over http or https only.")]
    [InlineData("https://user:pw@example.com/x", "The URL must not carry user info (user:password@): sign-in details in a URL end up in logs. The signature proves who sent it.")]
    [InlineData("https://good.example@evil.example/x", "The URL must not carry user info (user:password@): sign-in details in a URL end up in logs. The signature proves who sent it.")]
    [InlineData("https://example.com/x#part", "The URL must not have a fragment (#…): it is never sent to the receiver.")]
    public void TryParse_ABadUrl_SaysWhatIsWrong(string? url, string expected)
    {
        Assert.False(WebhookUrl.TryParse(url, out var uri, out var error));
        Assert.Null(uri);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_ATooLongUrl_IsRefused()
    {
        var url = "https://example.com/" + new string('a', WebhookUrl.MaxLength);

        Assert.False(WebhookUrl.TryParse(url, out _, out var error));
        Assert.Equal($"The URL is {url.Length} characters; at most 2048 are accepted.", error);
    }
}
