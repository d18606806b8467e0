using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

public sealed class LongPollTests
{
    [Fact]
    public async Task WaitForDecision_WakesAsSoonAsAPersonDecides()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        // Time is fake and never advanced here: the only way this request can answer 200 is by being woken.
        var waiting = agent.GetAsync($"/v1/cases/{id}/decision?wait=300");
        await server.UntilSomeoneWaitsOnAsync(id);
        Assert.False(waiting.IsCompleted);
        using var decide = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" });

        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("approve", body.GetProperty("decision").GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task WaitForDecision_WhenTheWaitRunsOut_Returns202WithStatus()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        var waiting = agent.GetAsync($"/v1/cases/{id}/decision?wait=5");
        await server.UntilSomeoneWaitsOnAsync(id);
        await server.AdvanceUntilAsync(waiting, TimeSpan.FromSeconds(1));

        using var response = await waiting;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task WaitForDecision_WithZeroWait_AnswersAtOnce()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        using var response = await agent.GetAsync($"/v1/cases/{id}/decision");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
