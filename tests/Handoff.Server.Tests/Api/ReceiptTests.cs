using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

/// <summary>
/// <c>POST /v1/cases/{id}/receipt</c>: the agent closes the loop on an approved case — executed with the digest of what
/// ran, or failed with why — once; a digest that is not the approved result's is kept and flagged.
/// </summary>
public sealed class ReceiptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnApprovedCase_WaitsForItsReceipt_ThenTakesExactlyOne()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        using (var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" }))
        {
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }

        server.Time.Advance(TimeSpan.FromMinutes(3));
        var approved = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", Ct);
        Assert.Equal(180, approved.GetProperty("awaitingExecutionSeconds").GetInt64());
        var digest = approved.GetProperty("decision").GetProperty("resultDigest").GetString()!;

        using var first = await agent.PostAsJsonAsync($"/v1/cases/{id}/receipt", new { outcome = "executed", resultDigest = digest }, Ct);
        using var again = await agent.PostAsJsonAsync($"/v1/cases/{id}/receipt", new { outcome = "failed", reason = "twice" }, Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var view = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var receipt = view.GetProperty("receipt");
        Assert.Equal("executed", receipt.GetProperty("outcome").GetString());
        Assert.Equal(digest, receipt.GetProperty("resultDigest").GetString());
        Assert.False(receipt.GetProperty("mismatch").GetBoolean());
        Assert.Equal("test agent", receipt.GetProperty("by").GetProperty("name").GetString());
        Assert.False(view.TryGetProperty("awaitingExecutionSeconds", out _));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var conflict = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("already has its receipt (executed)", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var history = await server.Store.GetCaseHistoryAsync((await server.Store.FindWorkspaceAsync("default", Ct))!.Id, id, Ct);
        Assert.Equal("case.executed", history[^1].Action);
    }

    [Fact]
    public async Task ADigestThatIsNotTheApprovedResults_IsKeptAndFlagged_AndAFailureKeepsItsReason()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var auto = await TestCases.SubmitAsync(agent, TestCases.Auto());
        Assert.Equal("approved", auto.GetProperty("status").GetString());
        var autoId = auto.GetProperty("id").GetString()!;
        var failedId = (await TestCases.SubmitAsync(agent, TestCases.Auto())).GetProperty("id").GetString()!;

        using var mismatched = await agent.PostAsJsonAsync($"/v1/cases/{autoId}/receipt", new { outcome = "executed", resultDigest = new string('e', 64) }, Ct);
        using var failed = await agent.PostAsJsonAsync($"/v1/cases/{failedId}/receipt", new { outcome = "failed", reason = "  The mail server refused the reply.  " }, Ct);

        Assert.Equal(HttpStatusCode.OK, mismatched.StatusCode);
        Assert.True((await mismatched.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("receipt").GetProperty("mismatch").GetBoolean());
        var entry = (await server.Store.GetCaseHistoryAsync((await server.Store.FindWorkspaceAsync("default", Ct))!.Id, autoId, Ct))[^1];
        Assert.Equal("case.executed", entry.Action);
        Assert.Contains("\"mismatch\":true", entry.Data, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var receipt = (await failed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("receipt");
        Assert.Equal(("failed", "The mail server refused the reply."), (receipt.GetProperty("outcome").GetString(), receipt.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task TheApprovedCasesWithoutAReceipt_AreListedForReviewers_AndABadFilterIsNamed()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var waiting = (await TestCases.SubmitAsync(agent, TestCases.Auto())).GetProperty("id").GetString()!;
        var done = (await TestCases.SubmitAsync(agent, TestCases.Auto())).GetProperty("id").GetString()!;
        await TestCases.SubmitPendingAsync(agent);
        using (await agent.PostAsJsonAsync($"/v1/cases/{done}/receipt", new { outcome = "failed", reason = "down" }, Ct))
        {
        }

        var page = await reviewer.GetFromJsonAsync<JsonElement>("/v1/cases?receipt=missing", Ct);
        using var bad = await reviewer.GetAsync("/v1/cases?receipt=none", Ct);

        Assert.Equal([waiting], page.GetProperty("items").EnumerateArray().Select(static c => c.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("receipt", out _));
    }

    [Theory]
    [InlineData("""{"outcome":"done","resultDigest":"x"}""", "outcome")]
    [InlineData("""{"resultDigest":"0000000000000000000000000000000000000000000000000000000000000000"}""", "outcome")]
    [InlineData("""{"outcome":"executed"}""", "resultDigest")]
    [InlineData("""{"outcome":"executed","resultDigest":"ABCDEF0000000000000000000000000000000000000000000000000000000000"}""", "resultDigest")]
    [InlineData("""{"outcome":"executed","resultDigest":"abc"}""", "resultDigest")]
    [InlineData("""{"outcome":"failed"}""", "reason")]
    [InlineData("""{"outcome":"failed","reason":"down","resultDigest":"0000000000000000000000000000000000000000000000000000000000000000"}""", "resultDigest")]
    [InlineData("""{"outcome":"failed","reason":"   "}""", "reason")]
    [InlineData("""{"outcome":"executed","resultDigest":7}""", "resultDigest")]
    [InlineData("""{"outcome":"executed","digest":"0000000000000000000000000000000000000000000000000000000000000000"}""", "digest")]
    public async Task BadReceipts_AreProblemsNamingTheField_AndChangeNothing(string body, string field)
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = (await TestCases.SubmitAsync(agent, TestCases.Auto())).GetProperty("id").GetString()!;

        using var response = await agent.PostAsync($"/v1/cases/{id}/receipt", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.False((await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", Ct)).TryGetProperty("receipt", out _));
    }

    [Fact]
    public async Task OnlyTheAgentThatSubmittedTheCase_OrAnAdmin_SendsItsReceipt()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var colleague = server.Client(await Handoff.Server.Auth.ApiKeys.IssueAsync(
            server.Store, "default", Storage.ApiKeyRole.Agent, "another agent", Core.Cases.Actor.Cli("tests"), server.Time, Ct));
        var mine = (await TestCases.SubmitAsync(agent, TestCases.Auto())).GetProperty("id").GetString()!;
        var byAdmin = (await TestCases.SubmitAsync(agent, TestCases.Auto())).GetProperty("id").GetString()!;

        using var refused = await colleague.PostAsJsonAsync($"/v1/cases/{mine}/receipt", new { outcome = "failed", reason = "not mine" }, Ct);
        using var admin = await server.Client(server.AdminKey).PostAsJsonAsync($"/v1/cases/{byAdmin}/receipt", new { outcome = "failed", reason = "ran by hand" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Only the agent that submitted the case (test agent)", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False((await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{mine}", Ct)).TryGetProperty("receipt", out _));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task ACaseThatIsNotApproved_AnotherWorkspacesCase_AndAReviewersKey_AreRefused()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var pending = await TestCases.SubmitPendingAsync(agent);
        var rejected = await TestCases.SubmitPendingAsync(agent);
        using (await TestCases.DecideAsync(server.Client(server.ReviewerKey), rejected, new { verdict = "reject", text = "No." }))
        {
        }

        var receipt = new { outcome = "executed", resultDigest = new string('0', 64) };
        using var notYet = await agent.PostAsJsonAsync($"/v1/cases/{pending}/receipt", receipt, Ct);
        using var refused = await agent.PostAsJsonAsync($"/v1/cases/{rejected}/receipt", receipt, Ct);
        using var foreign = await server.Client(server.OtherAgentKey).PostAsJsonAsync($"/v1/cases/{pending}/receipt", receipt, Ct);
        using var reviewer = await server.Client(server.ReviewerKey).PostAsJsonAsync($"/v1/cases/{pending}/receipt", receipt, Ct);

        Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
        Assert.Contains("is pending, not approved", (await notYet.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("rejected", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("caseStatus").GetString());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reviewer.StatusCode);
    }
}
