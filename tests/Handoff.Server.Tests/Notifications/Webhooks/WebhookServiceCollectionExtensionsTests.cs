using Handoff.Core.Notifications.Webhooks;
using Handoff.Server.Notifications.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Notifications.Webhooks;

public sealed class WebhookServiceCollectionExtensionsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public async Task AddHandoffWebhooks_ReadsTheAllowedNetworksFromConfiguration_AndTheSenderObeysThem()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(200);
        var configuration = Configuration(("Handoff:Webhooks:AllowedNetworks:0", "127.0.0.0/8"), ("Handoff:Webhooks:Timeout", "00:00:05"), ("Handoff:Webhooks:MaxResponseBytes", "4096"));
        await using var services = new ServiceCollection().AddHandoffWebhooks(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<WebhookOptions>>().Value;
        var outcome = await services.GetRequiredService<WebhookSender>().SendAsync(
            receiver.Url(), "evt_1_0", TimeProvider.System.GetUtcNow(), "{}", [WebhookSecret.Generate().Text], TestContext.Current.CancellationToken);

        Assert.Equal(["127.0.0.0/8"], options.AllowedNetworks);
        Assert.Equal((TimeSpan.FromSeconds(5), 4096), (options.Timeout, options.MaxResponseBytes));
        Assert.True(outcome.Delivered, outcome.Error);
    }

    [Fact]
    public async Task AddHandoffWebhooks_WithoutConfiguration_SendsToPublicAddressesOnly()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(200);
        await using var services = new ServiceCollection().AddHandoffWebhooks(Configuration()).BuildServiceProvider();

        var outcome = await services.GetRequiredService<WebhookSender>().SendAsync(
            receiver.Url(), "evt_1_0", TimeProvider.System.GetUtcNow(), "{}", [WebhookSecret.Generate().Text], TestContext.Current.CancellationToken);

        Assert.True(outcome.Permanent);
        Assert.Empty(receiver.Requests);
    }

    [Theory]
    [InlineData("Handoff:Webhooks:AllowedNetworks:0", "10.0.0.1/8", "Handoff:Webhooks:AllowedNetworks: Allowed network [0] '10.0.0.1/8' is not a CIDR range")]
    [InlineData("Handoff:Webhooks:Timeout", "00:00:00", "Handoff:Webhooks:Timeout must be more than zero")]
    [InlineData("Handoff:Webhooks:MaxResponseBytes", "10", "Handoff:Webhooks:MaxResponseBytes must be at least 1024")]
    public void AddHandoffWebhooks_WithABadSetting_StopsAtStartNamingIt(string key, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddHandoffWebhooks(Configuration((key, value))));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
