using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Audit;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

/// <summary>A rule with <c>approvals</c>: two people approve through the API before the agent hears, one reject ends it.</summary>
public sealed class TwoPersonRuleTests
{
    private const string Policy = """
        rules:
          - id: big-refund
            when: { facts.amount: { gt: 1000 } }
            outcome: review
            team: billing
            approvals: 2
            reason: Refunds above 1,000 need two people.
          - id: huge-refund
            when: { facts.amount: { gt: 5000 } }
            outcome: review
            approvals: { count: 2, role: admin }
            reason: Refunds above 5,000 need an admin too.
        """;

    [Fact]
    public async Task Approve_ByTwoDifferentReviewers_WakesTheAgentOnlyAfterTheSecond()
    {
        await using var server = await StartAsync();
        var agent = server.Client(server.AgentKey);
        var rita = server.Client(server.ReviewerKey);
        var sam = server.Client(server.SecondReviewerKey);
        var created = await TestCases.SubmitAsync(agent, TestCases.HighValue());
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(2, created.GetProperty("approvalsNeeded").GetInt32());
        Assert.Equal(2, created.GetProperty("routing").GetProperty("approvals").GetProperty("count").GetInt32());

        using var first = await TestCases.DecideAsync(rita, id, new { verdict = "edit", arguments = new { orderId = "B-1", amount = 900 } });
        var afterFirst = await first.Content.ReadFromJsonAsync<JsonElement>();
        using var notYet = await agent.GetAsync($"/v1/cases/{id}/decision?wait=0");
        using var twice = await TestCases.DecideAsync(rita, id, new { verdict = "approve" });
        using var editAfter = await TestCases.DecideAsync(sam, id, new { verdict = "edit", arguments = new { amount = 1 } });
        using var second = await TestCases.DecideAsync(sam, id, new { verdict = "approve", note = "checked" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("pending", afterFirst.GetProperty("status").GetString());
        Assert.Equal(1, afterFirst.GetProperty("approvals").GetArrayLength());
        Assert.Equal(HttpStatusCode.Accepted, notYet.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("You already approved this case", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, editAfter.StatusCode);
        Assert.Contains("approve it as it stands or reject it", await editAfter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var answer = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}/decision?wait=5");
        Assert.Equal("approved", answer.GetProperty("status").GetString());
        Assert.Equal("edit", answer.GetProperty("decision").GetProperty("verdict").GetString());
        Assert.Equal(900, answer.GetProperty("decision").GetProperty("result").GetProperty("action").GetProperty("arguments").GetProperty("amount").GetInt32());
        Assert.Equal(2, answer.GetProperty("approvals").GetArrayLength());
        Assert.True(AuditChain.Verify(await server.Store.ReadAuditAsync(0, 10_000)).Intact);
    }

    [Fact]
    public async Task Approve_WhenTheRuleAsksForAnAdmin_IsForbiddenToAReviewerWhoMayStillReject()
    {
        await using var server = await StartAsync();
        var agent = server.Client(server.AgentKey);
        var body = TestCases.HighValue();
        body["facts"]!["amount"] = 7000;
        var id = await TestCases.SubmitPendingAsync(agent, body);

        using var forbidden = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" });
        using var byAdmin = await TestCases.DecideAsync(server.Client(server.AdminKey), id, new { verdict = "approve" });
        using var rejected = await TestCases.DecideAsync(server.Client(server.SecondReviewerKey), id, new { verdict = "reject", text = "Too much." });

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType!.MediaType);
        Assert.Contains("needs approval by an admin or above", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var answer = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}/decision?wait=5");
        Assert.Equal("rejected", answer.GetProperty("status").GetString());
    }

    private static async Task<TestServer> StartAsync()
    {
        var server = await TestServer.StartAsync();
        using var put = await server.Client(server.AdminKey).PutAsync("/v1/policy", new StringContent(Policy, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return server;
    }
}
