using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;

namespace Handoff.Server.Tests.Api;

public sealed class TeamsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostTeam_WithEverySetting_IsCreatedAndReadBackTheSameWithItsMembers()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        var workspace = (await server.Store.FindWorkspaceAsync("default", Ct))!;
        var lead = await server.Store.AddUserAsync(new NewUser(workspace.Id, "lead@example.com", "Lena Lead", UserRole.Supervisor, ["billing"], "hash"), Actor.Cli("t"), Ct);
        using var tier2 = await PostAsync(admin, """{"name":"tier-2"}""");

        using var created = await PostAsync(admin, $$"""
            {
              "name": "billing",
              "displayName": "Billing (EU)",
              "mode": "pull",
              "workingHours": {
                "timeZone": "Europe/Berlin",
                "week": [{"day":"monday","opens":"09:00","closes":"12:30"}, {"day":"monday","opens":"13:30","closes":"24:00"}],
                "closures": ["2026-12-25"]
              },
              "acceptTimeout": "45s",
              "idleClaimTimeout": 600,
              "overflowTeam": "tier-2",
              "supervisorId": "{{lead!.Id}}"
            }
            """);
        var team = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var read = await admin.GetFromJsonAsync<JsonElement>("/v1/teams/billing", Ct);
        var list = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>("/v1/teams", Ct);

        Assert.Equal(HttpStatusCode.Created, tier2.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/teams/billing", created.Headers.Location?.OriginalString);
        Assert.Equal(team.ToString(), read.ToString());
        Assert.Equal(("Billing (EU)", "pull", 45, 600, "tier-2", lead.Id), (
            team.GetProperty("displayName").GetString(), team.GetProperty("mode").GetString(), team.GetProperty("acceptTimeout").GetInt32(),
            team.GetProperty("idleClaimTimeout").GetInt32(), team.GetProperty("overflowTeam").GetString(), team.GetProperty("supervisorId").GetString()));
        Assert.Equal(
            """{"timeZone":"Europe/Berlin","week":[{"day":"monday","opens":"09:00","closes":"12:30"},{"day":"monday","opens":"13:30","closes":"00:00"}],"closures":["2026-12-25"]}""",
            team.GetProperty("workingHours").GetRawText());
        Assert.Equal(lead.Id, Assert.Single(team.GetProperty("members").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(["billing", "tier-2"], list.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task PutTeam_ReplacesTheSettings_AndAbsentOnesTakeTheirDefaults()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        using var added = await PostAsync(admin, """{"name":"billing","mode":"pull","acceptTimeout":10}""");

        using var put = await admin.PutAsync("/v1/teams/billing", Json("""{"displayName":"Billing"}"""), Ct);
        var team = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(("Billing", "push", 30), (team.GetProperty("displayName").GetString(), team.GetProperty("mode").GetString(), team.GetProperty("acceptTimeout").GetInt32()));
    }

    [Fact]
    public async Task DeleteTeam_RemovesIt_ButNotWhileAnotherOverflowsToIt()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        using var a = await PostAsync(admin, """{"name":"tier-2"}""");
        using var b = await PostAsync(admin, """{"name":"billing","overflowTeam":"tier-2"}""");

        using var refused = await admin.DeleteAsync("/v1/teams/tier-2", Ct);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var removed = await admin.DeleteAsync("/v1/teams/billing", Ct);
        using var gone = await admin.GetAsync("/v1/teams/billing", Ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("billing", Assert.Single(problem.GetProperty("overflowFrom").EnumerateArray()).GetString());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task PostTeam_NameTaken_Is409()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        using var first = await PostAsync(admin, """{"name":"billing"}""");

        using var second = await PostAsync(admin, """{"name":"billing","displayName":"Again"}""");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string> BadTeams => new()
    {
        { """{}""", "name" },
        { """{"name":"Billing"}""", "name" },
        { """{"name":"billing","mode":"round-robin"}""", "mode" },
        { """{"name":"billing","acceptTimeout":"soon"}""", "acceptTimeout" },
        { """{"name":"billing","acceptTimeout":"2h"}""", "acceptTimeout" },
        { """{"name":"billing","idleClaimTimeout":-1}""", "idleClaimTimeout" },
        { """{"name":"billing","overflowTeam":"billing"}""", "overflowTeam" },
        { """{"name":"billing","overflowTeam":"nowhere"}""", "overflowTeam" },
        { """{"name":"billing","supervisorId":"usr_nobody"}""", "supervisorId" },
        { """{"name":"billing","workingHours":{"timeZone":"Mars/Olympus","week":[]}}""", "workingHours.timeZone" },
        { """{"name":"billing","workingHours":{"timeZone":"W. Europe Standard Time","week":[]}}""", "workingHours.timeZone" },
        { """{"name":"billing","workingHours":{"week":[]}}""", "workingHours.timeZone" },
        { """{"name":"billing","workingHours":{"timeZone":"UTC","week":[{"day":"funday","opens":"09:00","closes":"17:00"}]}}""", "workingHours.week[0].day" },
        { """{"name":"billing","workingHours":{"timeZone":"UTC","week":[{"day":"monday","opens":"17:00","closes":"09:00"}]}}""", "workingHours.week[0].closes" },
        { """{"name":"billing","workingHours":{"timeZone":"UTC","week":[{"day":"monday","opens":"9am","closes":"17:00"}]}}""", "workingHours.week[0].opens" },
        { """{"name":"billing","workingHours":{"timeZone":"UTC","week":[{"day":"monday","opens":"09:00","closes":"13:00"},{"day":"monday","opens":"12:00","closes":"17:00"}]}}""", "workingHours.week" },
        { """{"name":"billing","workingHours":{"timeZone":"UTC","week":[],"closures":["25.12.2026"]}}""", "workingHours.closures[0]" },
        { """{"name":"billing","colour":"blue"}""", "colour" },
    };

    [Theory]
    [MemberData(nameof(BadTeams))]
    public async Task PostTeam_WithBadInput_Returns400ProblemNamingTheField(string json, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await PostAsync(server.Client(server.AdminKey), json);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(await server.Store.ListTeamsAsync((await server.Store.FindWorkspaceAsync("default", Ct))!.Id, Ct));
    }

    [Fact]
    public async Task Teams_OfAnotherWorkspace_Are404AndUntouched()
    {
        await using var server = await TestServer.StartAsync();
        using var added = await PostAsync(server.Client(server.AdminKey), """{"name":"billing"}""");
        var other = server.Client(server.OtherAdminKey);

        using var get = await other.GetAsync("/v1/teams/billing", Ct);
        using var put = await other.PutAsync("/v1/teams/billing", Json("""{"mode":"pull"}"""), Ct);
        using var delete = await other.DeleteAsync("/v1/teams/billing", Ct);
        var list = await other.GetFromJsonAsync<JsonElement>("/v1/teams", Ct);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (get.StatusCode, put.StatusCode, delete.StatusCode));
        Assert.Equal(0, list.GetArrayLength());
        var team = await server.Client(server.AdminKey).GetFromJsonAsync<JsonElement>("/v1/teams/billing", Ct);
        Assert.Equal("push", team.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task TeamWrites_NeedAnAdminKey()
    {
        await using var server = await TestServer.StartAsync();

        using var post = await PostAsync(server.Client(server.ReviewerKey), """{"name":"billing"}""");
        using var list = await server.Client(server.AgentKey).GetAsync("/v1/teams", Ct);
        using var settings = await server.Client(server.ReviewerKey).PutAsync("/v1/routing/settings", Json("""{"liveWeight":2}"""), Ct);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (post.StatusCode, list.StatusCode, settings.StatusCode));
    }

    [Fact]
    public async Task RoutingSettings_DefaultThenChangedPerWorkspace()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        var before = await admin.GetFromJsonAsync<JsonElement>("/v1/routing/settings", Ct);

        using var put = await admin.PutAsync("/v1/routing/settings", Json("""{"liveWeight":4,"awayAfter":"5m"}"""), Ct);
        var after = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>("/v1/routing/settings", Ct);
        var other = await server.Client(server.OtherAdminKey).GetFromJsonAsync<JsonElement>("/v1/routing/settings", Ct);

        Assert.Equal("""{"queuedWeight":1,"liveWeight":3,"awayAfter":120}""", before.GetRawText());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("""{"queuedWeight":1,"liveWeight":4,"awayAfter":300}""", after.GetRawText());
        Assert.Equal(before.GetRawText(), other.GetRawText());
    }

    [Theory]
    [InlineData("""{"queuedWeight":0}""", "queuedWeight")]
    [InlineData("""{"liveWeight":101}""", "liveWeight")]
    [InlineData("""{"awayAfter":"5s"}""", "awayAfter")]
    [InlineData("""{"awayAfter":"2d"}""", "awayAfter")]
    public async Task PutRoutingSettings_OutOfRange_Returns400NamingTheField(string json, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.AdminKey).PutAsync("/v1/routing/settings", Json(json), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) => client.PostAsync("/v1/teams", Json(json), Ct);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
