using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

public sealed class PolicyApiTests
{
    private const string StrictPolicy = """
        defaults:
          confidenceFloor: 0.95
          lowConfidence: escalate
          team: night-shift
        rules:
          - id: everything-refunds
            when:
              proposal.action.name: { eq: issue_refund }
            outcome: block
            reason: Refunds are switched off tonight.
        """;

    [Fact]
    public async Task PutPolicy_Valid_PublishesNextVersionUsedForNewCases()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);

        using var put = await admin.PutAsync("/v1/policy", new StringContent(StrictPolicy, Encoding.UTF8, "application/yaml"));
        var published = await put.Content.ReadFromJsonAsync<JsonElement>();
        var created = await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.HighValue());
        var current = await admin.GetFromJsonAsync<JsonElement>("/v1/policy");
        var first = await admin.GetFromJsonAsync<JsonElement>("/v1/policy?version=1");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(2, published.GetProperty("version").GetInt32());
        Assert.Equal("blocked", created.GetProperty("status").GetString());
        Assert.Equal(2, created.GetProperty("policyVersion").GetInt32());
        Assert.Equal(StrictPolicy, current.GetProperty("source").GetString());
        Assert.Contains("high-value", first.GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutPolicy_NamingATeamTheWorkspaceLacks_PublishesWithAWarningNamingTheField()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        using var team = await admin.PostAsJsonAsync("/v1/teams", new { name = "billing" });
        Assert.Equal(HttpStatusCode.Created, team.StatusCode);
        const string policy = """
            defaults:
              team: billing
            rules:
              - id: legal
                when: { facts.topic: legal }
                outcome: escalate
                team: legal
                reason: Legal questions go to the legal team.
              - id: refunds
                when: { facts.amount: { gt: 1000 } }
                outcome: review
                team: billing
                reason: Big refunds.
            """;

        using var put = await admin.PutAsync("/v1/policy", new StringContent(policy, Encoding.UTF8, "application/yaml"));
        var published = await put.Content.ReadFromJsonAsync<JsonElement>();
        var current = await admin.GetFromJsonAsync<JsonElement>("/v1/policy");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(2, published.GetProperty("version").GetInt32());
        var warning = Assert.Single(published.GetProperty("warnings").EnumerateArray().ToList());
        Assert.Equal(("rules[0].team", 7), (warning.GetProperty("field").GetString(), warning.GetProperty("line").GetInt32()));
        Assert.StartsWith("No team 'legal' in this workspace", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Published all the same, and the warning belongs to the answer to publishing, not to the version.
        Assert.Equal((2, false), (current.GetProperty("version").GetInt32(), current.TryGetProperty("warnings", out _)));
    }

    [Fact]
    public async Task PutPolicy_WithEveryTeamItNamesPresent_AnswersWithoutWarnings()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        using var team = await admin.PostAsJsonAsync("/v1/teams", new { name = "night-shift" });

        using var put = await admin.PutAsync("/v1/policy", new StringContent(StrictPolicy, Encoding.UTF8, "application/yaml"));
        var published = await put.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (team.StatusCode, put.StatusCode));
        Assert.False(published.TryGetProperty("warnings", out _));
    }

    [Fact]
    public async Task PutPolicy_WithProblems_Returns422WithLineNumbersAndKeepsTheOldVersion()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        const string broken = """
            rules:
              - id: a
                when:
                  facts.amount: { greater: 5 }
                outcome: review
                reason: r
              - id: a
                when:
                  facts.amount: { gt: 5 }
                outcome: maybe
                reason: r
            """;

        using var put = await admin.PutAsync("/v1/policy", new StringContent(broken, Encoding.UTF8, "application/yaml"));
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        var current = await admin.GetFromJsonAsync<JsonElement>("/v1/policy");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var problems = problem.GetProperty("problems").EnumerateArray().ToList();
        Assert.True(problems.Count >= 3, problem.ToString());
        Assert.Contains(problems, p => p.GetProperty("line").GetInt32() == 4 && p.GetProperty("message").GetString()!.Contains("greater", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.GetProperty("line").GetInt32() == 7);
        Assert.Contains(problems, p => p.GetProperty("line").GetInt32() == 10 && p.GetProperty("message").GetString()!.Contains("maybe", StringComparison.Ordinal));
        Assert.Equal(1, current.GetProperty("version").GetInt32());
    }

    // Issue 12: the pattern used to time out on enough a's, the timeout counted as no match and the case went auto.
    [Theory]
    [InlineData(35)]
    [InlineData(10_000)]
    public async Task SubmitCase_WhenABlockPatternWouldBacktrackCatastrophically_IsStillBlocked(int count)
    {
        await using var server = await TestServer.StartAsync();
        const string legalBlock = "rules: [{id: legal-block, when: {text: {matches: '^(a|aa)+$|lawyer'}}, outcome: block, reason: x}]";

        using var put = await server.Client(server.AdminKey).PutAsync("/v1/policy", new StringContent(legalBlock, Encoding.UTF8, "application/yaml"));
        var created = await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.Parse($$$"""
            {"kind":"reply","proposal":{"text":"{{{new string('a', count)}}}! I will call my lawyer","confidence":0.95}}
            """));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("blocked", created.GetProperty("status").GetString());
        Assert.Equal("legal-block", Assert.Single(created.GetProperty("reasons").EnumerateArray()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task SubmitCase_WhenARuleCannotBeEvaluated_GoesToAPersonNamingTheRule()
    {
        await using var server = await TestServer.StartAsync();
        const string policy = "rules: [{id: big-deal, when: {facts.amount: {gt: 1000}}, outcome: escalate, reason: Big deals go to a person.}]";

        using var put = await server.Client(server.AdminKey).PutAsync("/v1/policy", new StringContent(policy, Encoding.UTF8, "application/yaml"));
        var created = await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.Parse("""
            {"kind":"reply","facts":{"amount":"5,000 EUR"},"proposal":{"text":"Deal.","confidence":0.95}}
            """));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("pending", created.GetProperty("status").GetString());
        Assert.Equal("escalate", created.GetProperty("outcome").GetString());
        var reason = Assert.Single(created.GetProperty("reasons").EnumerateArray());
        Assert.Equal("big-deal", reason.GetProperty("rule").GetString());
        Assert.StartsWith("rule big-deal could not be evaluated: ", reason.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutPolicy_WithAPatternTheLinearEngineCannotRun_Returns422AtThePattern()
    {
        await using var server = await TestServer.StartAsync();
        const string policy = "rules: [{id: repeat, when: {summary: {matches: '(a)\\1'}}, outcome: block, reason: x}]";

        using var put = await server.Client(server.AdminKey).PutAsync("/v1/policy", new StringContent(policy, Encoding.UTF8, "application/yaml"));
        var problem = Assert.Single((await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        Assert.Equal(1, problem.GetProperty("line").GetInt32());
        Assert.Equal(48, problem.GetProperty("column").GetInt32());
        Assert.Contains("backreference", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Autonomy_WhenStopped_EscalatesWhatWouldBeAutoAndIsAudited()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        var agent = server.Client(server.AgentKey);

        using var stop = await admin.PutAsJsonAsync("/v1/autonomy", new { enabled = false, reason = "incident 42" });
        var stopped = await TestCases.SubmitAsync(agent, TestCases.Auto());
        using var start = await admin.PutAsJsonAsync("/v1/autonomy", new { enabled = true });
        var resumed = await TestCases.SubmitAsync(agent, TestCases.Auto());

        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal("pending", stopped.GetProperty("status").GetString());
        Assert.Equal("escalate", stopped.GetProperty("outcome").GetString());
        Assert.Contains(stopped.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("rule").GetString() == "autonomy-stopped");
        Assert.Equal("approved", resumed.GetProperty("status").GetString());
        var audit = await server.Store.ReadAuditAsync(0, 1000);
        var changes = audit.Where(e => e.Action == "autonomy.changed").ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal("Ada Admin", changes[0].ActorName);
        Assert.Contains("incident 42", changes[0].Data, StringComparison.Ordinal);
        var state = await admin.GetFromJsonAsync<JsonElement>("/v1/autonomy");
        Assert.True(state.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task PutAutonomy_WithoutEnabled_Returns400NamingIt()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.AdminKey).PutAsJsonAsync("/v1/autonomy", new { reason = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("enabled", out _));
    }

    [Fact]
    public async Task Policy_IsPerWorkspace()
    {
        await using var server = await TestServer.StartAsync();

        using var put = await server.Client(server.OtherAdminKey).PutAsync("/v1/policy", new StringContent(StrictPolicy, Encoding.UTF8, "application/yaml"));
        var mine = await server.Client(server.AdminKey).GetFromJsonAsync<JsonElement>("/v1/policy");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(1, mine.GetProperty("version").GetInt32());
    }
}
