using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

public sealed class ExpiryTests
{
    [Theory]
    [InlineData("reject", "rejected", "reject")]
    [InlineData("approve", "approved", "approve")]
    public async Task PendingCase_PastExpiry_GetsOnTimeoutEffectRecordedAsTimeout(string onTimeout, string status, string verdict)
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var body = TestCases.HighValue();
        body["expiresIn"] = 60;
        body["onTimeout"] = onTimeout;
        var id = await TestCases.SubmitPendingAsync(agent, body);
        var waiting = agent.GetAsync($"/v1/cases/{id}/decision?wait=300");

        await server.AdvanceUntilAsync(waiting);

        using var response = await waiting;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, answer.GetProperty("status").GetString());
        var decision = answer.GetProperty("decision");
        Assert.Equal(verdict, decision.GetProperty("verdict").GetString());
        Assert.True(decision.GetProperty("timedOut").GetBoolean());
        Assert.False(decision.TryGetProperty("decidedBy", out _));
        var history = await server.Store.GetCaseHistoryAsync((await server.Store.FindWorkspaceAsync("default"))!.Id, id);
        Assert.Contains(history, e => e.Action == "case.expired");
        Assert.DoesNotContain(history, e => e.Action == "case.decided");
    }

    [Fact]
    public async Task PendingCase_PastExpiryWithEscalate_WakesAgentAndStaysOpenAtUrgent()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var body = TestCases.HighValue();
        body["expiresIn"] = "2m";
        body["onTimeout"] = "escalate";
        var id = await TestCases.SubmitPendingAsync(agent, body);
        var waiting = agent.GetAsync($"/v1/cases/{id}/decision?wait=300");

        await server.AdvanceUntilAsync(waiting);

        using var response = await waiting;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("escalated", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var now = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}");
        Assert.Equal("urgent", now.GetProperty("priority").GetString());
        using var decide = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" });
        Assert.Equal(HttpStatusCode.OK, decide.StatusCode);
    }

    [Fact]
    public async Task PendingCase_BeforeExpiry_IsUntouched()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var early = TestCases.HighValue();
        early["expiresIn"] = "30m";
        var late = TestCases.HighValue();
        late["expiresIn"] = "1h";
        var earlyId = await TestCases.SubmitPendingAsync(agent, early);
        var lateId = await TestCases.SubmitPendingAsync(agent, late);
        // One step to 59 minutes: the pass that expires the early case runs at that time, and must spare the late one.
        server.Time.Advance(TimeSpan.FromMinutes(59));
        var earlyStatus = "pending";
        for (var i = 0; i < 500 && earlyStatus == "pending"; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
            earlyStatus = (await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{earlyId}")).GetProperty("status").GetString();
        }

        Assert.Equal("rejected", earlyStatus);
        var now = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{lateId}");
        Assert.Equal("pending", now.GetProperty("status").GetString());
    }
}
