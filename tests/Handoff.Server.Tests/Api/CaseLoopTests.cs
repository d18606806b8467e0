using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Core.Audit;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

public sealed class CaseLoopTests
{
    [Fact]
    public async Task Submit_WhenNoRuleFiresAndConfidenceClearsFloor_ApprovesAtOnce()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);

        var created = await TestCases.SubmitAsync(agent, TestCases.Auto());

        Assert.Equal("approved", created.GetProperty("status").GetString());
        Assert.Equal("auto", created.GetProperty("outcome").GetString());
        Assert.Equal(0, created.GetProperty("reasons").GetArrayLength());
        Assert.Equal(1, created.GetProperty("policyVersion").GetInt32());
        var decision = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{created.GetProperty("id").GetString()}/decision");
        Assert.Equal("approve", decision.GetProperty("decision").GetProperty("verdict").GetString());
        Assert.Equal("policy", decision.GetProperty("decision").GetProperty("decidedBy").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task WholeLoop_SubmitClaimDecide_AgentGetsDecisionAndAuditVerifies()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);

        var created = await TestCases.SubmitAsync(agent, TestCases.HighValue());
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("pending", created.GetProperty("status").GetString());
        Assert.Equal("review", created.GetProperty("outcome").GetString());
        Assert.Equal("sales", created.GetProperty("team").GetString());
        Assert.Equal("high-value", created.GetProperty("reasons")[0].GetProperty("rule").GetString());
        Assert.Equal("review", created.GetProperty("reasons")[0].GetProperty("outcome").GetString());

        var queue = await reviewer.GetFromJsonAsync<JsonElement>("/v1/cases?status=pending&team=sales");
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == id);

        using var claim = await reviewer.PostAsync($"/v1/cases/{id}/claim", null);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        var claimed = await claim.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("assigned", claimed.GetProperty("status").GetString());
        Assert.Equal("Rita Reviewer", claimed.GetProperty("assignedTo").GetProperty("name").GetString());

        using var decide = await TestCases.DecideAsync(reviewer, id, new { verdict = "edit", arguments = new { orderId = "B-1", amount = 900 }, note = "partial refund" });
        Assert.Equal(HttpStatusCode.OK, decide.StatusCode);

        var answer = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}/decision?wait=5");
        var decision = answer.GetProperty("decision");
        Assert.Equal("approved", answer.GetProperty("status").GetString());
        Assert.Equal("edit", decision.GetProperty("verdict").GetString());
        Assert.Equal(900, decision.GetProperty("result").GetProperty("action").GetProperty("arguments").GetProperty("amount").GetInt32());
        var change = Assert.Single(decision.GetProperty("changes").EnumerateArray());
        Assert.Equal("arguments.amount", change.GetProperty("field").GetString());
        Assert.Equal(1450, change.GetProperty("from").GetInt32());
        Assert.Equal(900, change.GetProperty("to").GetInt32());
        Assert.Equal("Rita Reviewer", decision.GetProperty("decidedBy").GetProperty("name").GetString());
        Assert.Equal(64, decision.GetProperty("proposalDigest").GetString()!.Length);

        var audit = await server.Store.ReadAuditAsync(0, 10_000);
        Assert.True(AuditChain.Verify(audit).Intact);
        Assert.Contains(audit, e => e.Action == "case.decided" && e.Subject == id);
    }

    [Fact]
    public async Task Arguments_WhoseKeysDifferOnlyInCase_AreTwoKeysThroughSubmitEditAndDecision()
    {
        // JSON keys are case-sensitive: "orderId" and "OrderId" are two arguments, and neither the digest nor the
        // diff may fold them into one (a fold threw, and the agent got a 500).
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var body = TestCases.HighValue();
        body["proposal"]!["action"]!["arguments"] = TestCases.Parse("""{"orderId":"B-1","OrderId":"B-2","amount":1450}""");

        var id = await TestCases.SubmitPendingAsync(agent, body);
        using var decide = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id,
            new Dictionary<string, object> { ["verdict"] = "edit", ["arguments"] = new Dictionary<string, object> { ["orderId"] = "B-1", ["OrderId"] = "B-3", ["amount"] = 1450 } });

        Assert.Equal(HttpStatusCode.OK, decide.StatusCode);
        var decision = (await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}/decision")).GetProperty("decision");
        var arguments = decision.GetProperty("result").GetProperty("action").GetProperty("arguments");
        Assert.Equal("B-1", arguments.GetProperty("orderId").GetString());
        Assert.Equal("B-3", arguments.GetProperty("OrderId").GetString());
        var change = Assert.Single(decision.GetProperty("changes").EnumerateArray());
        Assert.Equal("arguments.OrderId", change.GetProperty("field").GetString());
        Assert.NotEqual(decision.GetProperty("proposalDigest").GetString(), decision.GetProperty("resultDigest").GetString());
    }

    [Fact]
    public async Task Edit_ReplacingAnObjectWhoseKeysDifferOnlyInCase_RecordsTheWholeObjectAsTheChange()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var body = TestCases.HighValue();
        body["proposal"]!["action"]!["arguments"] = TestCases.Parse("""{"amount":1450,"address":{"line":"1 Main St","Line":"Flat 2"}}""");
        var id = await TestCases.SubmitPendingAsync(agent, body);

        using var decide = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "edit", arguments = new { amount = 1450, address = "pickup" } });

        Assert.Equal(HttpStatusCode.OK, decide.StatusCode);
        foreach (var path in new[] { $"/v1/cases/{id}/decision", $"/v1/cases/{id}" })
        {
            var answer = await agent.GetFromJsonAsync<JsonElement>(path);
            var change = Assert.Single(answer.GetProperty("decision").GetProperty("changes").EnumerateArray());
            Assert.Equal("arguments.address", change.GetProperty("field").GetString());
            Assert.Equal("Flat 2", change.GetProperty("from").GetProperty("Line").GetString());
            Assert.Equal("1 Main St", change.GetProperty("from").GetProperty("line").GetString());
        }

        // Read back from the store, the change is an object of two keys that can be walked.
        var stored = await server.Store.GetCaseAsync((await server.Store.FindWorkspaceAsync("default", TestContext.Current.CancellationToken))!.Id, id, TestContext.Current.CancellationToken);
        var from = Assert.IsType<System.Text.Json.Nodes.JsonObject>(Assert.Single(stored!.Decision!.Changes).From);
        Assert.Equal(["line", "Line"], from.Select(p => p.Key));
    }

    [Fact]
    public async Task Decide_Twice_SecondGetsConflictNamingTheDecider()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var first = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" });
        using var second = await TestCases.DecideAsync(server.Client(server.SecondReviewerKey), id, new { verdict = "reject", text = "no" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Rita Reviewer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_WhenClaimedBySomeoneElse_ReturnsConflictNamingTheHolder()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        using var claim = await server.Client(server.ReviewerKey).PostAsync($"/v1/cases/{id}/claim", null);

        using var otherClaim = await server.Client(server.SecondReviewerKey).PostAsync($"/v1/cases/{id}/claim", null);
        using var otherDecide = await TestCases.DecideAsync(server.Client(server.SecondReviewerKey), id, new { verdict = "approve" });

        Assert.Equal(HttpStatusCode.Conflict, otherClaim.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, otherDecide.StatusCode);
        var problem = await otherDecide.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Rita Reviewer", problem.GetProperty("assignedTo").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Release_ReturnsCaseToQueue_SoAnotherReviewerCanDecide()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var rita = server.Client(server.ReviewerKey);
        using var claim = await rita.PostAsync($"/v1/cases/{id}/claim", null);

        using var releaseByOther = await server.Client(server.SecondReviewerKey).PostAsync($"/v1/cases/{id}/release", null);
        using var release = await rita.PostAsync($"/v1/cases/{id}/release", null);
        using var decide = await TestCases.DecideAsync(server.Client(server.SecondReviewerKey), id, new { verdict = "choose", option = 0 });

        Assert.Equal(HttpStatusCode.Conflict, releaseByOther.StatusCode);
        Assert.Equal("pending", (await release.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var decided = await decide.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ship_replacement", decided.GetProperty("decision").GetProperty("result").GetProperty("action").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Decide_RejectAndRespond_SetStatusAndCarryText()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var rejected = await TestCases.SubmitPendingAsync(agent);
        var answered = await TestCases.SubmitPendingAsync(agent);

        using var reject = await TestCases.DecideAsync(reviewer, rejected, new { verdict = "reject", text = "Needs a photo of the damage first." });
        using var respond = await TestCases.DecideAsync(reviewer, answered, new { verdict = "respond", text = "I'll call you today." });

        var r1 = await reject.Content.ReadFromJsonAsync<JsonElement>();
        var r2 = await respond.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rejected", r1.GetProperty("status").GetString());
        Assert.Equal("Needs a photo of the damage first.", r1.GetProperty("decision").GetProperty("text").GetString());
        Assert.Equal("responded", r2.GetProperty("status").GetString());
        Assert.Equal("I'll call you today.", r2.GetProperty("decision").GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Submit_WithSameIdempotencyKey_ReturnsTheSameCaseEvenWhenConcurrent()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/cases") { Content = JsonContent.Create(TestCases.HighValue()) };
            request.Headers.Add("Idempotency-Key", "order-B-1-refund");
            using var response = await agent.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        }));

        Assert.Single(responses.Select(r => r.Body.GetProperty("id").GetString()).Distinct());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var page = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>("/v1/cases");
        Assert.Equal(1, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Submit_ReusingAnIdempotencyKeyForADifferentCase_Returns422AndCreatesNothing()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        using var first = new HttpRequestMessage(HttpMethod.Post, "/v1/cases") { Content = JsonContent.Create(TestCases.HighValue()) };
        first.Headers.Add("Idempotency-Key", "k-1");
        using var second = new HttpRequestMessage(HttpMethod.Post, "/v1/cases") { Content = JsonContent.Create(TestCases.Auto()) };
        second.Headers.Add("Idempotency-Key", "k-1");

        using var created = await agent.SendAsync(first);
        using var reused = await agent.SendAsync(second);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.True((await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        var page = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>("/v1/cases");
        Assert.Equal(1, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Submit_WithoutSubjectOrFacts_LeavesThemOutOfTheAnswer()
    {
        await using var server = await TestServer.StartAsync();

        var created = await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.Parse("""{"kind":"question","proposal":{"text":"Hi","confidence":0.99}}"""));

        Assert.False(created.TryGetProperty("subject", out _));
        Assert.False(created.TryGetProperty("facts", out _));
    }

    [Fact]
    public async Task List_PagesThroughEveryCaseOnceNewestFirst()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await TestCases.SubmitAsync(agent, TestCases.Auto())).GetProperty("id").GetString()!);
        }

        var reviewer = server.Client(server.ReviewerKey);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await reviewer.GetFromJsonAsync<JsonElement>("/v1/cases?limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        ids.Reverse();
        Assert.Equal(ids, seen);
    }
}
