using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;

namespace Handoff.Server.Tests.Notifications;

public sealed class NotificationsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rules_AreTheDefaultsUntilSet_ThenTheSetOnes_AndDeleteBringsTheDefaultsBack()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);

        var defaults = await admin.GetFromJsonAsync<JsonElement>("/v1/notifications/rules", Ct);
        using var put = await admin.PutAsJsonAsync("/v1/notifications/rules",
            new { rules = new object[] { new { @event = "case.escalated", to = "team", channels = new[] { "dashboard", "dashboard" }, team = (string?)null } } }, Ct);
        var set = await admin.GetFromJsonAsync<JsonElement>("/v1/notifications/rules", Ct);
        using var deleted = await admin.DeleteAsync("/v1/notifications/rules", Ct);
        var back = await admin.GetFromJsonAsync<JsonElement>("/v1/notifications/rules", Ct);

        Assert.True(defaults.GetProperty("defaults").GetBoolean());
        Assert.Contains(defaults.GetProperty("rules").EnumerateArray(), r => r.GetProperty("event").GetString() == "sla.breached" && r.GetProperty("to").GetString() == "supervisor");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.False(set.GetProperty("defaults").GetBoolean());
        var rule = Assert.Single(set.GetProperty("rules").EnumerateArray());
        Assert.Equal(["dashboard"], rule.GetProperty("channels").EnumerateArray().Select(static c => c.GetString()));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True(back.GetProperty("defaults").GetBoolean());
        var other = await server.Client(server.OtherAdminKey).GetFromJsonAsync<JsonElement>("/v1/notifications/rules", Ct);
        Assert.True(other.GetProperty("defaults").GetBoolean());
        using var reviewer = await server.Client(server.ReviewerKey).GetAsync("/v1/notifications/rules", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, reviewer.StatusCode);
    }

    [Theory]
    [InlineData("""{}""", "rules")]
    [InlineData("""{"rules":[null]}""", "rules[0]")]
    [InlineData("""{"rules":[{"event":"case.exploded","to":"team","channels":["email"]}]}""", "rules[0].event")]
    [InlineData("""{"rules":[{"event":"case.escalated","to":"everyone","channels":["email"]}]}""", "rules[0].to")]
    [InlineData("""{"rules":[{"event":"case.escalated","to":"person:usr_nobody","channels":["email"]}]}""", "rules[0].to")]
    [InlineData("""{"rules":[{"event":"case.escalated","to":"team","channels":["pager"]}]}""", "rules[0].channels")]
    [InlineData("""{"rules":[{"event":"case.escalated","to":"team","channels":[]}]}""", "rules[0].channels")]
    [InlineData("""{"rules":[{"event":"case.escalated","to":"team","channels":["email"],"team":"nowhere"}]}""", "rules[0].team")]
    [InlineData("""{"rules":[{"event":"case.escalated","to":"team","channels":["email"],"when":"always"}]}""", "rules[0].when")]
    public async Task PutRules_WithBadInput_IsAProblemNamingTheField_AndKeepsTheRules(string body, string field)
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);

        using var response = await admin.PutAsync("/v1/notifications/rules", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.True((await admin.GetFromJsonAsync<JsonElement>("/v1/notifications/rules", Ct)).GetProperty("defaults").GetBoolean());
    }

    [Fact]
    public async Task PersonPreferences_AreSetAndReadBack_OnlyInTheirWorkspace()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        var workspace = (await server.Store.FindWorkspaceAsync("default", Ct))!;
        var ana = (await server.Store.AddUserAsync(new NewUser(workspace.Id, "ana@example.com", "Ana", UserRole.Reviewer, [], "hash"), Actor.Cli("t"), Ct))!;

        var before = await admin.GetFromJsonAsync<JsonElement>($"/v1/people/{ana.Id}/notifications", Ct);
        using var put = await admin.PutAsJsonAsync($"/v1/people/{ana.Id}/notifications",
            new { email = false, timeZone = "Europe/Lisbon", quietHours = new { from = "21:00", to = "07:30" }, digest = true, digestAt = "08:15" }, Ct);
        var after = await admin.GetFromJsonAsync<JsonElement>($"/v1/people/{ana.Id}/notifications", Ct);
        using var elsewhere = await server.Client(server.OtherAdminKey).GetAsync($"/v1/people/{ana.Id}/notifications", Ct);

        Assert.Equal("""{"email":true,"digest":false,"digestAt":"08:00"}""", before.GetRawText());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("""{"email":false,"timeZone":"Europe/Lisbon","quietHours":{"from":"21:00","to":"07:30"},"digest":true,"digestAt":"08:15"}""", after.GetRawText());
        Assert.Equal(new TimeOnly(7, 30), (await server.Store.GetUserAsync(workspace.Id, ana.Id, Ct))!.Notifications!.QuietHours!.To);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Theory]
    [InlineData("""{"timeZone":"Mars/Olympus"}""", "timeZone")]
    [InlineData("""{"quietHours":{"from":"21:00"}}""", "quietHours.to")]
    [InlineData("""{"quietHours":{"from":"9pm","to":"07:00"}}""", "quietHours.from")]
    [InlineData("""{"quietHours":{"from":"07:00","to":"07:00"}}""", "quietHours.to")]
    [InlineData("""{"digestAt":"25:00"}""", "digestAt")]
    [InlineData("""{"email":"yes"}""", "email")]
    public async Task PutPreferences_WithBadInput_IsAProblemNamingTheField(string body, string field)
    {
        await using var server = await TestServer.StartAsync();
        var workspace = (await server.Store.FindWorkspaceAsync("default", Ct))!;
        var ana = (await server.Store.AddUserAsync(new NewUser(workspace.Id, "ana@example.com", "Ana", UserRole.Reviewer, [], "hash"), Actor.Cli("t"), Ct))!;

        using var response = await server.Client(server.AdminKey).PutAsync($"/v1/people/{ana.Id}/notifications", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Null((await server.Store.GetUserAsync(workspace.Id, ana.Id, Ct))!.Notifications);
    }
}
