using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;

namespace Handoff.Server.Tests.Api;

public sealed class PeopleApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PatchPerson_SetsTheRoutingProfile_AndGetAndListShowIt()
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");
        var admin = server.Client(server.AdminKey);
        using var billing = await admin.PostAsync("/v1/teams", Json("""{"name":"billing"}"""), Ct);

        using var patch = await admin.PatchAsync($"/v1/people/{ada.Id}", Json("""{"skills":["refunds","tier-2"],"languages":["en","de"],"capacity":4,"teams":["billing"]}"""), Ct);
        var person = await patch.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var read = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>($"/v1/people/{ada.Id}", Ct);
        var list = await admin.GetFromJsonAsync<JsonElement>("/v1/people", Ct);

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(person.ToString(), read.ToString());
        Assert.Equal("""["refunds","tier-2"]""", person.GetProperty("skills").GetRawText());
        Assert.Equal("""["en","de"]""", person.GetProperty("languages").GetRawText());
        Assert.Equal("""["billing"]""", person.GetProperty("teams").GetRawText());
        Assert.Equal(4, person.GetProperty("capacity").GetInt32());
        Assert.False(person.TryGetProperty("passwordHash", out _));
        Assert.Equal("offline", person.GetProperty("presence").GetProperty("effective").GetString());
        Assert.Equal(ada.Id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
    }

    public static TheoryData<string, string> BadPatches => new()
    {
        { """{}""", "body" },
        { """{"capacity":0}""", "capacity" },
        { """{"capacity":101}""", "capacity" },
        { """{"capacity":"4"}""", "capacity" },
        { """{"skills":["Refunds"]}""", "skills[0]" },
        { """{"skills":["refunds","refunds"]}""", "skills[1]" },
        { """{"languages":["english"]}""", "languages[0]" },
        { """{"teams":["nowhere"]}""", "teams[0]" },
        { """{"role":"admin"}""", "role" },
    };

    [Theory]
    [MemberData(nameof(BadPatches))]
    public async Task PatchPerson_WithBadInput_Returns400NamingTheFieldAndChangesNothing(string json, string field)
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");

        using var response = await server.Client(server.AdminKey).PatchAsync($"/v1/people/{ada.Id}", Json(json), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var stored = await server.Store.GetUserAsync(ada.WorkspaceId, ada.Id, Ct);
        Assert.Equal((5, 0), (stored!.Capacity, stored.Skills.Count));
    }

    [Fact]
    public async Task PutPresence_SetsItAndItDecaysToAwayWhenUnseen_AuditedOnce()
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");
        var admin = server.Client(server.AdminKey);

        using var put = await admin.PutAsync($"/v1/people/{ada.Id}/presence", Json("""{"presence":"online"}"""), Ct);
        var presence = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var again = await admin.PutAsync($"/v1/people/{ada.Id}/presence", Json("""{"presence":"online"}"""), Ct);
        server.Time.Advance(TimeSpan.FromMinutes(3));
        var later = await admin.GetFromJsonAsync<JsonElement>($"/v1/people/{ada.Id}", Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(("online", "online"), (presence.GetProperty("effective").GetString(), presence.GetProperty("chosen").GetString()));
        Assert.Equal(("away", "online"), (later.GetProperty("presence").GetProperty("effective").GetString(), later.GetProperty("presence").GetProperty("chosen").GetString()));
        var audit = await server.Store.SearchAuditAsync(ada.WorkspaceId, new AuditQuery { Text = "presence.changed" }, Ct);
        Assert.Single(audit, e => e.Action == "presence.changed");
    }

    [Theory]
    [InlineData("""{"presence":"busy"}""")]
    [InlineData("""{"presence":"Online"}""")]
    [InlineData("""{}""")]
    public async Task PutPresence_NotOneOfTheThree_Returns400NamingPresence(string json)
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");

        using var response = await server.Client(server.AdminKey).PutAsync($"/v1/people/{ada.Id}/presence", Json(json), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("presence", out _), problem.ToString());
    }

    [Fact]
    public async Task People_OfAnotherWorkspace_Are404AndUntouched()
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");
        var other = server.Client(server.OtherAdminKey);

        using var get = await other.GetAsync($"/v1/people/{ada.Id}", Ct);
        using var patch = await other.PatchAsync($"/v1/people/{ada.Id}", Json("""{"capacity":9}"""), Ct);
        using var presence = await other.PutAsync($"/v1/people/{ada.Id}/presence", Json("""{"presence":"online"}"""), Ct);
        var list = await other.GetFromJsonAsync<JsonElement>("/v1/people", Ct);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (get.StatusCode, patch.StatusCode, presence.StatusCode));
        Assert.Equal(0, list.GetArrayLength());
        var stored = await server.Store.GetPresenceAsync(ada.WorkspaceId, ada.Id, Ct);
        Assert.Equal((Core.Routing.Presence.Offline, 5), (stored!.Chosen, (await server.Store.GetUserAsync(ada.WorkspaceId, ada.Id, Ct))!.Capacity));
    }

    [Fact]
    public async Task PeopleWrites_NeedAnAdminKey_ReviewersRead()
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AddPersonAsync(server, "default", "ada@example.com");
        var reviewer = server.Client(server.ReviewerKey);

        using var read = await reviewer.GetAsync("/v1/people", Ct);
        using var patch = await reviewer.PatchAsync($"/v1/people/{ada.Id}", Json("""{"capacity":9}"""), Ct);
        using var presence = await reviewer.PutAsync($"/v1/people/{ada.Id}/presence", Json("""{"presence":"online"}"""), Ct);
        using var agent = await server.Client(server.AgentKey).GetAsync("/v1/people", Ct);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (patch.StatusCode, presence.StatusCode, agent.StatusCode));
    }

    private static async Task<User> AddPersonAsync(TestServer server, string workspace, string email)
    {
        var ws = await server.Store.EnsureWorkspaceAsync(workspace, Actor.Cli("t"), Ct);
        return (await server.Store.AddUserAsync(new NewUser(ws.Id, email, "Ada", UserRole.Reviewer, [], "hash"), Actor.Cli("t"), Ct))!;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
