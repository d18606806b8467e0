using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;

namespace Handoff.Server.Tests.Api;

/// <summary>
/// <c>POST /v1/cases/next</c> through the real server: a person of a pull team is given the most urgent case waiting
/// for them (200), nothing (204) when none is, a 409 problem when they are full, and a 400 problem naming the field for
/// anything wrong in the request.
/// </summary>
public sealed class NextCaseTests
{
    private const string Policy = """
        defaults:
          team: billing
          mode: queue
        rules:
          - id: refunds
            when: { facts.amount: { gt: 1000 } }
            outcome: review
            reason: Refunds above 1,000 need a person.
          - id: vip
            when: { facts.vip: true }
            outcome: review
            priority: urgent
            reason: VIP customers go first.
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Next_ForAPersonOfAPullTeam_TakesTheMostUrgentCaseThenTheOldest_ThenAnswersNoContent()
    {
        await using var server = await StartAsync();
        var (_, ana) = await SeedAsync(server);
        var agent = server.Client(server.AgentKey);
        var older = await TestCases.SubmitPendingAsync(agent);
        server.Time.Advance(TimeSpan.FromMinutes(1));
        var vip = TestCases.HighValue();
        vip["facts"]!["vip"] = true;
        var urgent = await TestCases.SubmitPendingAsync(agent, vip);
        var reviewer = server.Client(server.ReviewerKey);

        var first = await NextAsync(reviewer, new { person = ana.Id });
        var second = await NextAsync(reviewer, new { person = ana.Id, team = "billing" });
        using var none = await reviewer.PostAsJsonAsync("/v1/cases/next", new { person = ana.Id }, Ct);

        Assert.Equal((urgent, "assigned", ana.Id), (first.GetProperty("id").GetString(), first.GetProperty("status").GetString(), first.GetProperty("assignedTo").GetProperty("id").GetString()));
        Assert.Equal(older, second.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
        Assert.Empty(await none.Content.ReadAsByteArrayAsync(Ct));
        var ws = (await server.Store.FindWorkspaceAsync("default", Ct))!.Id;
        var claim = (await server.Store.GetCaseHistoryAsync(ws, urgent, Ct))[^1];
        Assert.Equal(("case.claimed", ana.Id), (claim.Action, claim.ActorId));
        using var data = JsonDocument.Parse(claim.Data);
        Assert.Equal("reviewer", data.RootElement.GetProperty("requestedBy").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Next_WhenThePersonHoldsTheirCapacity_IsAConflictProblem_AndTakesNothing()
    {
        await using var server = await StartAsync();
        var (ws, ana) = await SeedAsync(server, capacity: 1);
        var agent = server.Client(server.AgentKey);
        var held = await TestCases.SubmitPendingAsync(agent);
        var waiting = await TestCases.SubmitPendingAsync(agent);
        await server.Store.ClaimCaseAsync(ws, held, new Actor(Actor.UserKind, ana.Id, ana.Name), server.Time.GetUtcNow(), Ct);

        using var response = await server.Client(server.ReviewerKey).PostAsJsonAsync("/v1/cases/next", new { person = ana.Id }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Over capacity", problem.GetProperty("title").GetString());
        Assert.Null((await server.Store.GetCaseAsync(ws, waiting, Ct))!.AssignedTo);
    }

    [Theory]
    [InlineData("{}", "person")]
    [InlineData("""{"person":5}""", "person")]
    [InlineData("""{"person":""}""", "person")]
    [InlineData("""{"person":"usr_nobody"}""", "person")]
    [InlineData("""{"person":"{ana}","team":"Bill ing"}""", "team")]
    [InlineData("""{"person":"{ana}","team":"nowhere"}""", "team")]
    [InlineData("""{"person":"{ana}","team":"sales"}""", "team")]
    [InlineData("""{"person":"{ana}","team":"legal"}""", "team")]
    [InlineData("""{"person":"{ana}","teams":["billing"]}""", "teams")]
    [InlineData("", "body")]
    [InlineData("[1]", "body")]
    public async Task Next_WithBadInput_IsAProblemNamingTheField(string body, string field)
    {
        await using var server = await StartAsync();
        var (_, ana) = await SeedAsync(server);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var content = new StringContent(body.Replace("{ana}", ana.Id, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        using var response = await server.Client(server.ReviewerKey).PostAsync("/v1/cases/next", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var ws = (await server.Store.FindWorkspaceAsync("default", Ct))!.Id;
        Assert.Null((await server.Store.GetCaseAsync(ws, id, Ct))!.AssignedTo);
    }

    [Fact]
    public async Task Next_ForAPersonOfAnotherWorkspace_OrWithoutTheReviewerRole_IsRefusedAndChangesNothing()
    {
        await using var server = await StartAsync();
        var (ws, ana) = await SeedAsync(server);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var elsewhere = await server.Client(server.OtherAdminKey).PostAsJsonAsync("/v1/cases/next", new { person = ana.Id }, Ct);
        using var agent = await server.Client(server.AgentKey).PostAsJsonAsync("/v1/cases/next", new { person = ana.Id }, Ct);
        using var anonymous = await server.Client(null).PostAsJsonAsync("/v1/cases/next", new { person = ana.Id }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.True((await elsewhere.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("person", out _));
        Assert.Equal(HttpStatusCode.Forbidden, agent.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Null((await server.Store.GetCaseAsync(ws, id, Ct))!.AssignedTo);
    }

    private static async Task<JsonElement> NextAsync(HttpClient reviewer, object body)
    {
        using var response = await reviewer.PostAsJsonAsync("/v1/cases/next", body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static async Task<TestServer> StartAsync()
    {
        var server = await TestServer.StartAsync();
        using var put = await server.Client(server.AdminKey).PutAsync("/v1/policy", new StringContent(Policy, Encoding.UTF8, "application/yaml"), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return server;
    }

    /// <summary>A pull team "billing" and a push team "sales", both with Ana in them, and a pull team "legal" without her.</summary>
    private static async Task<(string Workspace, User Ana)> SeedAsync(TestServer server, int capacity = User.DefaultCapacity)
    {
        var ws = (await server.Store.FindWorkspaceAsync("default", Ct))!.Id;
        var cli = Actor.Cli("test");
        foreach (var (name, mode) in new[] { ("billing", AssignmentMode.Pull), ("sales", AssignmentMode.Push), ("legal", AssignmentMode.Pull) })
        {
            var added = await server.Store.AddTeamAsync(new Team { WorkspaceId = ws, Name = name, DisplayName = name, Mode = mode }, cli, Ct);
            Assert.Equal(TeamResultStatus.Done, added.Status);
        }

        var ana = (await server.Store.AddUserAsync(new NewUser(ws, "ana@example.com", "Ana", UserRole.Reviewer, ["billing", "sales"], "h") { Capacity = capacity }, cli, Ct))!;
        return (ws, ana);
    }
}
