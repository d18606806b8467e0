using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;

namespace Handoff.Server.Tests.Api;

public sealed class HandoverApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reassign_WithAnAdminKey_GivesTheCaseToThePersonAuditedWithTheNote()
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var response = await server.Client(server.AdminKey).PostAsync($"/v1/cases/{id}/reassign", Json($$"""{"to":"{{ada.Id}}","note":"Ada knows Tom"}"""), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("assigned", body.GetProperty("status").GetString());
        Assert.Equal(ada.Id, body.GetProperty("assignedTo").GetProperty("id").GetString());
        var entry = (await server.Store.GetCaseHistoryAsync(ada.WorkspaceId, id, Ct))[^1];
        Assert.Equal("case.reassigned", entry.Action);
        Assert.Contains("Ada knows Tom", entry.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reassign_WithAReviewerKey_Returns403NamingTheAdminRole()
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var response = await server.Client(server.ReviewerKey).PostAsync($"/v1/cases/{id}/reassign", Json($$"""{"to":"{{ada.Id}}"}"""), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("admin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadReassigns => new()
    {
        { """{}""", "to" },
        { """{"to":"u_nobody"}""", "to" },
        { """{"to":7}""", "to" },
        { """{"to":"u_nobody","note":null,"extra":1}""", "extra" },
    };

    [Theory]
    [MemberData(nameof(BadReassigns))]
    public async Task Reassign_WithBadInput_Returns400NamingTheFieldAndChangesNothing(string json, string field)
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var response = await server.Client(server.AdminKey).PostAsync($"/v1/cases/{id}/reassign", Json(json), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var stored = (await server.Store.ListCasesAsync((await server.Store.FindWorkspaceAsync("default", Ct))!.Id, new CaseQuery(null, null, 10, null), Ct)).Items.Single();
        Assert.Null(stored.AssignedTo);
    }

    [Fact]
    public async Task Reassign_AnotherWorkspacesCaseOrPerson_IsNotFoundOrNamesTheField()
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");
        var stranger = await AddPersonAsync(server, "other", "zoe@example.com");
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var elsewhere = await server.Client(server.OtherAdminKey).PostAsync($"/v1/cases/{id}/reassign", Json($$"""{"to":"{{stranger.Id}}"}"""), Ct);
        using var foreigner = await server.Client(server.AdminKey).PostAsync($"/v1/cases/{id}/reassign", Json($$"""{"to":"{{stranger.Id}}"}"""), Ct);
        var problem = await foreigner.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreigner.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _), problem.ToString());
        Assert.Null((await server.Store.GetCaseAsync(ada.WorkspaceId, id, Ct))!.AssignedTo);
    }

    [Fact]
    public async Task Transfer_ByTheReviewerWhoHoldsIt_ToAnotherTeam_QueuesItThereUnassigned()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        using var team = await admin.PostAsync("/v1/teams", Json("""{"name":"billing"}"""), Ct);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        using var claim = await reviewer.PostAsync($"/v1/cases/{id}/claim", null, Ct);

        using var response = await reviewer.PostAsync($"/v1/cases/{id}/transfer", Json("""{"toTeam":"billing","note":"A billing question"}"""), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.Created, team.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("pending", "billing"), (body.GetProperty("status").GetString(), body.GetProperty("team").GetString()));
        Assert.False(body.TryGetProperty("assignedTo", out _));
        var workspace = (await server.Store.FindWorkspaceAsync("default", Ct))!.Id;
        var entry = (await server.Store.GetCaseHistoryAsync(workspace, id, Ct))[^1];
        Assert.Equal("case.transferred", entry.Action);
        Assert.Contains("\"toTeam\":\"billing\"", entry.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfer_ToAColleague_AssignsThem()
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        using var claim = await reviewer.PostAsync($"/v1/cases/{id}/claim", null, Ct);

        using var response = await reviewer.PostAsync($"/v1/cases/{id}/transfer", Json($$"""{"toPerson":"{{ada.Id}}","note":"Over to you"}"""), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ada.Id, body.GetProperty("assignedTo").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Transfer_ByAReviewerWhoDoesNotHoldIt_Returns403SayingWhoMay()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        using var claim = await server.Client(server.ReviewerKey).PostAsync($"/v1/cases/{id}/claim", null, Ct);

        using var response = await server.Client(server.SecondReviewerKey).PostAsync($"/v1/cases/{id}/transfer", Json("""{"toTeam":"support"}"""), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var unheld = await server.Client(server.SecondReviewerKey).PostAsync(
            $"/v1/cases/{await TestCases.SubmitPendingAsync(server.Client(server.AgentKey))}/transfer", Json("""{"toTeam":"support"}"""), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("holds the case", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, unheld.StatusCode);
    }

    public static TheoryData<string, string> BadTransfers => new()
    {
        { """{}""", "toTeam" },
        { """{"toTeam":"nowhere"}""", "toTeam" },
        { """{"toTeam":"sales"}""", "toTeam" },
        { """{"toPerson":"u_nobody"}""", "toPerson" },
        { """{"toTeam":"sales","toPerson":"u_nobody"}""", "toPerson" },
        { """{"toTeam":"nowhere","note":"NOTE"}""", "note" },
    };

    [Theory]
    [MemberData(nameof(BadTransfers))]
    public async Task Transfer_WithBadInput_Returns400NamingTheField(string json, string field)
    {
        await using var server = await TestServer.StartAsync();
        // The built-in policy sends this case to sales; a team of that name exists, so "already there" is what is refused.
        using var sales = await server.Client(server.AdminKey).PostAsync("/v1/teams", Json("""{"name":"sales"}"""), Ct);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        using var claim = await reviewer.PostAsync($"/v1/cases/{id}/claim", null, Ct);

        using var response = await reviewer.PostAsync($"/v1/cases/{id}/transfer", Json(json.Replace("NOTE", new string('n', 1001), StringComparison.Ordinal)), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Transfer_AnotherWorkspacesCase_Returns404()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var response = await server.Client(server.OtherReviewerKey).PostAsync($"/v1/cases/{id}/transfer", Json("""{"toTeam":"support"}"""), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Transfer_WithAnAdminKey_MovesACaseNobodyHolds()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        using var team = await admin.PostAsync("/v1/teams", Json("""{"name":"billing"}"""), Ct);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var response = await admin.PostAsync($"/v1/cases/{id}/transfer", Json("""{"toTeam":"billing"}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<User> AddPersonAsync(TestServer server, string workspace, string email)
    {
        var ws = await server.Store.EnsureWorkspaceAsync(workspace, Actor.Cli("t"), Ct);
        return (await server.Store.AddUserAsync(new NewUser(ws.Id, email, "Ada", UserRole.Reviewer, [], "hash"), Actor.Cli("t"), Ct))!;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
