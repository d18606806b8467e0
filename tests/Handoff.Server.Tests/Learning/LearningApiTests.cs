using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Server.Learning;
using Handoff.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Learning;

/// <summary>Precedents and agreement statistics over HTTP, from decisions taken through the API.</summary>
public sealed class LearningApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Precedents_ShowHowSimilarCasesWereDecided_SameActionFirst()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var refunded = await DecidedAsync(agent, reviewer, Refund("My espresso machine arrived broken, refund me", "issue_refund"), new { verdict = "approve", note = "Photo checked." });
        var replaced = await DecidedAsync(agent, reviewer, Refund("The espresso machine is broken", "ship_replacement"), new { verdict = "reject", text = "Offer a replacement." });
        var parcel = await DecidedAsync(agent, reviewer, Refund("Where is my parcel, tracking is empty", "issue_refund"), new { verdict = "approve" });
        var current = await TestCases.SubmitPendingAsync(agent, Refund("Broken espresso machine, I want my money back", "issue_refund"));

        var view = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/cases/{current}/precedents", Ct);

        var precedents = view.GetProperty("precedents").EnumerateArray().ToList();
        // The same action and rule first (the closest text among them first), then the rest by text.
        Assert.Equal([refunded, parcel, replaced], precedents.Select(static p => p.GetProperty("caseId").GetString()));
        Assert.Equal("approve", precedents[0].GetProperty("verdict").GetString());
        Assert.Equal("Photo checked.", precedents[0].GetProperty("note").GetString());
        Assert.True(precedents[0].GetProperty("sameAction").GetBoolean());
        Assert.Equal(["high-value"], precedents[0].GetProperty("sharedRules").EnumerateArray().Select(static r => r.GetString()));
        Assert.Equal(("reject", false), (precedents[2].GetProperty("verdict").GetString(), precedents[2].GetProperty("sameAction").GetBoolean()));
        Assert.Equal("Offer a replacement.", precedents[2].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Precedents_OnceEmbedded_AreOrderedByMeaning_NotBySharedWords()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        // Shares "espresso machine" twice over, and means something else; shares one word, and means the same.
        var manual = await DecidedAsync(agent, reviewer, Refund("Where can I download the espresso machine manual? The espresso machine manual is lost", "issue_refund"), new { verdict = "approve" });
        var broken = await DecidedAsync(agent, reviewer, Refund("My coffee maker arrived broken, please refund me", "issue_refund"), new { verdict = "approve" });
        var current = await TestCases.SubmitPendingAsync(agent, Refund("Broken espresso machine, I want my money back", "issue_refund"));

        var byWords = await PrecedentsAsync(reviewer, current);
        var worker = server.App.Services.GetRequiredService<EmbeddingWorker>();
        Assert.Equal(2, await worker.RoundAsync(Ct));
        Assert.Equal(0, await worker.RoundAsync(Ct));
        var byMeaning = await PrecedentsAsync(reviewer, current);

        Assert.Equal([manual, broken], byWords.Select(static p => p.GetProperty("caseId").GetString()));
        Assert.All(byWords, static p => Assert.False(p.TryGetProperty("similarity", out _)));
        Assert.Equal([broken, manual], byMeaning.Select(static p => p.GetProperty("caseId").GetString()));
        var similarity = byMeaning.Select(static p => p.GetProperty("similarity").GetDouble()).ToList();
        Assert.True(similarity[0] > similarity[1] && similarity[1] > 0 && similarity[0] < 1, string.Join(", ", similarity));
    }

    [Fact]
    public async Task Precedents_WithEmbeddingsOff_StayInFullTextOrder_AndNothingIsEmbedded()
    {
        await using var server = await TestServer.StartAsync(static o => o.Learning.Embeddings = false);
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var manual = await DecidedAsync(agent, reviewer, Refund("Where can I download the espresso machine manual? The espresso machine manual is lost", "issue_refund"), new { verdict = "approve" });
        var broken = await DecidedAsync(agent, reviewer, Refund("My coffee maker arrived broken, please refund me", "issue_refund"), new { verdict = "approve" });
        var current = await TestCases.SubmitPendingAsync(agent, Refund("Broken espresso machine, I want my money back", "issue_refund"));
        // What another node with embeddings on would have stored.
        var backlog = await server.Store.ListDecisionsToEmbedAsync(Handoff.Embeddings.MiniLmEmbedder.ModelName, 0, 10, Ct);
        var embedder = server.App.Services.GetRequiredService<Handoff.Core.Learning.ITextEmbedder>();
        await server.Store.SaveDecisionEmbeddingsAsync(embedder.Model, [.. backlog.Select(b => (b.Seq, embedder.Embed([b.Text])[0]))], Ct);

        var precedents = await PrecedentsAsync(reviewer, current);

        Assert.Equal([manual, broken], precedents.Select(static p => p.GetProperty("caseId").GetString()));
        Assert.All(precedents, static p => Assert.False(p.TryGetProperty("similarity", out _)));
    }

    [Fact]
    public async Task Precedents_AreForReviewersOfTheCasesWorkspace()
    {
        await using var server = await TestServer.StartAsync();
        var current = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var agent = await server.Client(server.AgentKey).GetAsync($"/v1/cases/{current}/precedents", Ct);
        using var elsewhere = await server.Client(server.OtherReviewerKey).GetAsync($"/v1/cases/{current}/precedents", Ct);
        using var none = await server.Client(server.ReviewerKey).GetAsync($"/v1/cases/{current}/precedents", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, agent.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal("application/problem+json", elsewhere.Content.Headers.ContentType?.MediaType);
        Assert.Empty((await none.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("precedents").EnumerateArray());
    }

    [Fact]
    public async Task Agreement_CountsPeoplesVerdicts_ByRule_WithIntervals()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        await DecidedAsync(agent, reviewer, TestCases.HighValue(), new { verdict = "approve" });
        await DecidedAsync(agent, reviewer, TestCases.HighValue(), new { verdict = "approve" });
        await DecidedAsync(agent, reviewer, TestCases.HighValue(), new { verdict = "reject", text = "No." });
        await TestCases.SubmitAsync(agent, TestCases.Auto());

        var view = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/agreement?by=rule&since=7d", Ct);
        var byAction = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/agreement?by=action", Ct);

        Assert.Equal(("rule", 3), (view.GetProperty("by").GetString(), view.GetProperty("decisions").GetInt32()));
        var row = Assert.Single(view.GetProperty("rows").EnumerateArray());
        Assert.Equal(("high-value", 3, 2, 0, 1), (row.GetProperty("key").GetString(), row.GetProperty("decisions").GetInt32(),
            row.GetProperty("approvedUnchanged").GetInt32(), row.GetProperty("edited").GetInt32(), row.GetProperty("rejected").GetInt32()));
        Assert.InRange(row.GetProperty("unchanged").GetProperty("lower").GetDouble(), 0.2, 0.67);
        Assert.Equal("issue_refund", Assert.Single(byAction.GetProperty("rows").EnumerateArray()).GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("/v1/learning/agreement?by=mood", "by")]
    [InlineData("/v1/learning/agreement?by=1", "by")]
    [InlineData("/v1/learning/agreement?since=yesterday", "since")]
    [InlineData("/v1/learning/agreement?since=0d", "since")]
    [InlineData("/v1/learning/agreement?since=99999d", "since")]
    public async Task Agreement_BadParameters_AreProblemsNamingTheField(string url, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.ReviewerKey).GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("21")]
    [InlineData("five")]
    public async Task Precedents_ABadCount_IsAProblemNamingIt(string count)
    {
        await using var server = await TestServer.StartAsync();
        var current = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var response = await server.Client(server.ReviewerKey).GetAsync($"/v1/cases/{current}/precedents?count={count}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("count", out _));
    }

    [Fact]
    public async Task Simulate_ReplaysPastCasesUnderACandidate_AndCountsTheErrorsItWouldLetThrough()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        await DecidedAsync(agent, reviewer, TestCases.HighValue(), new { verdict = "approve" });
        await DecidedAsync(agent, reviewer, TestCases.HighValue(), new { verdict = "reject", text = "Not without a photo." });
        await TestCases.SubmitAsync(agent, TestCases.Auto());
        var candidate = Core.Policy.BuiltInPolicy.Yaml.Replace("gt: 1000", "gt: 2000", StringComparison.Ordinal);
        var version = (await server.Client(server.AdminKey).GetFromJsonAsync<JsonElement>("/v1/policy", Ct)).GetProperty("version").GetInt32();

        using var response = await server.Client(server.AdminKey).PostAsync("/v1/policy/simulate?since=7d", new StringContent(candidate, System.Text.Encoding.UTF8, "application/yaml"), Ct);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((3, 2), (report.GetProperty("cases").GetInt32(), report.GetProperty("changed").GetInt32()));
        Assert.Equal((2, 2, 1), (report.GetProperty("newlyAutomated").GetInt32(), report.GetProperty("newlyAutomatedDecided").GetInt32(), report.GetProperty("letThrough").GetInt32()));
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal(("reject", "review", "auto"), (error.GetProperty("verdict").GetString(), error.GetProperty("before").GetString(), error.GetProperty("after").GetString()));
        var sales = report.GetProperty("workload").EnumerateArray().Single(w => w.GetProperty("team").GetString() == "sales");
        Assert.Equal((2, 0), (sales.GetProperty("before").GetInt32(), sales.GetProperty("after").GetInt32()));
        // Nothing was published.
        Assert.Equal(version, (await server.Client(server.AdminKey).GetFromJsonAsync<JsonElement>("/v1/policy", Ct)).GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("", "?since=7d", HttpStatusCode.BadRequest, "body")]
    [InlineData("rules: [", "", HttpStatusCode.UnprocessableEntity, "body")]
    [InlineData("rules: []", "?since=forever", HttpStatusCode.BadRequest, "since")]
    public async Task Simulate_BadInput_IsAProblemNamingTheField(string yaml, string query, HttpStatusCode status, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.AdminKey).PostAsync($"/v1/policy/simulate{query}", new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"), Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Simulate_IsForAdmins()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.ReviewerKey).PostAsync("/v1/policy/simulate", new StringContent("rules: []", System.Text.Encoding.UTF8, "application/yaml"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Recommendations_FromReliableAgreement_AreListed_AndApplyingOnePublishesTheEditedPolicy()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var admin = server.Client(server.AdminKey);
        // 75 approvals unchanged: Wilson's lower bound 95.1 %, just over the 95 % a recommendation needs.
        for (var i = 0; i < 75; i++)
        {
            await DecidedAsync(agent, reviewer, TestCases.HighValue(), new { verdict = "approve" });
        }

        var listed = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/recommendations", Ct);
        var recommendation = Assert.Single(listed.GetProperty("recommendations").EnumerateArray());
        Assert.Equal("auto:high-value", recommendation.GetProperty("id").GetString());
        Assert.StartsWith("rule 'high-value': 75 of 75 approved unchanged", recommendation.GetProperty("text").GetString(), StringComparison.Ordinal);

        using var byReviewer = await reviewer.PostAsJsonAsync("/v1/learning/recommendations/apply", new { id = "auto:high-value" }, Ct);
        using var unknown = await admin.PostAsJsonAsync("/v1/learning/recommendations/apply", new { id = "auto:medical-legal" }, Ct);
        using var applied = await admin.PostAsJsonAsync("/v1/learning/recommendations/apply", new { id = "auto:high-value" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var policy = await applied.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(listed.GetProperty("policyVersion").GetInt32() + 1, policy.GetProperty("version").GetInt32());
        Assert.Contains("outcome: auto\n    team: sales", policy.GetProperty("source").GetString(), StringComparison.Ordinal);
        // A refund like those now goes through alone.
        var after = await TestCases.SubmitAsync(agent, TestCases.HighValue());
        Assert.Equal("approved", after.GetProperty("status").GetString());
        Assert.Empty((await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/recommendations", Ct)).GetProperty("recommendations").EnumerateArray());
    }

    [Theory]
    [InlineData("""{}""", "id")]
    [InlineData("""{"id":"auto:x","since":"soon"}""", "since")]
    [InlineData("""{"id":"auto:x","extra":1}""", "extra")]
    public async Task Apply_BadBodies_AreProblemsNamingTheField(string body, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.AdminKey).PostAsync("/v1/learning/recommendations/apply", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty(field, out _));
    }

    private static async Task<List<JsonElement>> PrecedentsAsync(HttpClient reviewer, string caseId) =>
        [.. (await reviewer.GetFromJsonAsync<JsonElement>($"/v1/cases/{caseId}/precedents", Ct)).GetProperty("precedents").EnumerateArray()];

    private static JsonObject Refund(string text, string action)
    {
        var body = TestCases.HighValue();
        body["summary"] = text;
        body["conversation"] = new JsonArray(new JsonObject { ["role"] = "customer", ["text"] = text });
        body["proposal"]!["action"]!["name"] = action;
        return body;
    }

    private static async Task<string> DecidedAsync(HttpClient agent, HttpClient reviewer, JsonObject body, object decision)
    {
        var id = await TestCases.SubmitPendingAsync(agent, body);
        using var decided = await TestCases.DecideAsync(reviewer, id, decision);
        Assert.True(decided.IsSuccessStatusCode, $"decide: {decided.StatusCode}");
        return id;
    }
}
