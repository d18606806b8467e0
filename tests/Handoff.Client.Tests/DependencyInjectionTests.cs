using Handoff.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Handoff.Client.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddHandoffClient_GivesATypedClientFromTheHttpClientFactory()
    {
        await using var server = await ClientTestServer.StartAsync();
        var recorder = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddHandoffClient(o =>
            {
                o.BaseAddress = server.Address;
                o.ApiKey = server.AgentKey;
            })
            .AddHttpMessageHandler(() => recorder);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<HandoffClient>();
        var submitted = await client.SubmitCaseAsync(Cases.OpeningHours(), TestContext.Current.CancellationToken);
        var decided = await client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(decided.IsApproved);
        Assert.Equal(["POST /v1/cases", $"GET /v1/cases/{submitted.Id}/decision?wait=60"], recorder.Requests);
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(HandoffClientServiceCollectionExtensions.HttpClientName);
        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
    }

    [Fact]
    public async Task AddHandoffClient_WithoutABaseAddress_FailsNamingIt()
    {
        var services = new ServiceCollection();
        services.AddHandoffClient(o => o.ApiKey = "hk_x");
        await using var provider = services.BuildServiceProvider();

        var invalid = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<HandoffClient>());

        Assert.Contains("BaseAddress", invalid.Message, StringComparison.Ordinal);
    }
}
