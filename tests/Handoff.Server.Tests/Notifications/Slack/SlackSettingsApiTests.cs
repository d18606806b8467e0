using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Storage;

namespace Handoff.Server.Tests.Notifications.Slack;

/// <summary><c>/v1/integrations/slack</c>: admins set, read (masked) and remove a workspace's Slack settings.</summary>
public sealed class SlackSettingsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Put_BotMode_StoresTheSettings_AndShowsThemWithSecretsMasked()
    {
        await using var bed = await SlackTestBed.StartAsync();
        var admin = bed.Server.Client(bed.Server.AdminKey);

        using var put = await admin.PutAsJsonAsync("/v1/integrations/slack", new
        {
            botToken = "xoxb-1111-2222-abcdefghwxyz",
            signingSecret = "0123456789abcdef0123456789ab9876",
            channel = "C0REVIEWS",
            events = new[] { "case.escalated", "sla.breached", "case.escalated" },
        }, Ct);
        var shown = await admin.GetFromJsonAsync<JsonElement>("/v1/integrations/slack", Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(shown.GetRawText(), (await put.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetRawText());
        Assert.Equal("bot", shown.GetProperty("mode").GetString());
        Assert.Equal("xoxb-…wxyz", shown.GetProperty("botToken").GetString());
        Assert.Equal("…9876", shown.GetProperty("signingSecret").GetString());
        Assert.Equal("C0REVIEWS", shown.GetProperty("channel").GetString());
        Assert.Equal(["case.escalated", "sla.breached"], shown.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("https://slack.com/api/", shown.GetProperty("apiBaseUrl").GetString());
        Assert.Equal($"{SlackTestBed.PublicUrl}/v1/integrations/slack/{bed.WorkspaceId}/interactions", shown.GetProperty("interactivityUrl").GetString());
        Assert.DoesNotContain("abcdefghwxyz", shown.GetRawText(), StringComparison.Ordinal);

        var stored = await bed.Server.Store.GetIntegrationAsync(bed.WorkspaceId, "slack", Ct);
        Assert.Contains("xoxb-1111-2222-abcdefghwxyz", stored, StringComparison.Ordinal);
        var audit = Assert.Single(await IntegrationAuditAsync(bed));
        Assert.Contains("bot mode, channel C0REVIEWS", audit.Data, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefgh", audit.Data, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", audit.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_WebhookMode_TakesTheDefaultEvents_AndShowsOnlyTheWebhooksHost()
    {
        await using var bed = await SlackTestBed.StartAsync();
        var admin = bed.Server.Client(bed.Server.AdminKey);

        using var put = await admin.PutAsJsonAsync("/v1/integrations/slack", new { incomingWebhookUrl = "https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX" }, Ct);
        var shown = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("webhook", shown.GetProperty("mode").GetString());
        Assert.Equal("https://hooks.slack.com/…", shown.GetProperty("incomingWebhookUrl").GetString());
        Assert.Equal(["case.escalated", "sla.breached", "case.decided", "live.fallback"], shown.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.False(shown.TryGetProperty("interactivityUrl", out _));
        var audit = Assert.Single(await IntegrationAuditAsync(bed));
        Assert.DoesNotContain("XXXXsecretXXXX", audit.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_BothModesAtOnce_OrNeither_IsAProblemNamingTheField()
    {
        await using var bed = await SlackTestBed.StartAsync();
        var admin = bed.Server.Client(bed.Server.AdminKey);

        using var both = await admin.PutAsJsonAsync("/v1/integrations/slack", new
        {
            botToken = "xoxb-1-2-abc", signingSecret = "0123456789abcdef", channel = "C01", incomingWebhookUrl = "https://hooks.slack.com/services/x",
        }, Ct);
        using var neither = await admin.PutAsJsonAsync("/v1/integrations/slack", new { events = new[] { "case.decided" } }, Ct);

        Assert.Equal(["incomingWebhookUrl"], await FieldsAsync(both));
        Assert.Equal(["botToken"], await FieldsAsync(neither));
        Assert.Null(await bed.Server.Store.GetIntegrationAsync(bed.WorkspaceId, "slack", Ct));
    }

    [Fact]
    public async Task Put_BadValues_NameEachField()
    {
        await using var bed = await SlackTestBed.StartAsync();

        using var response = await bed.Server.Client(bed.Server.AdminKey).PutAsJsonAsync("/v1/integrations/slack", new
        {
            botToken = "xoxp-a-user-token",
            channel = "general channel",
            events = new[] { "case.decided", "policy.published", "nope" },
            apiBaseUrl = "ftp://slack.example.com/",
        }, Ct);

        Assert.Equal(["apiBaseUrl", "botToken", "channel", "events[1]", "events[2]", "signingSecret"], await FieldsAsync(response));
    }

    [Theory]
    [InlineData("""{"botToken":"xoxb-1-2","signingSecret":"0123456789abcdef","channel":"C01","colour":"red"}""", "colour")]
    [InlineData("""{"incomingWebhookUrl":42}""", "incomingWebhookUrl")]
    [InlineData("""{"incomingWebhookUrl":"https://hooks.slack.com/x",""", "body")]
    [InlineData("""{"incomingWebhookUrl":"https://hooks.slack.com/x","events":[]}""", "events")]
    public async Task Put_BodiesThatAreWrong_AreProblemsNamingTheField_NeverAServerError(string body, string field)
    {
        await using var bed = await SlackTestBed.StartAsync();

        using var response = await bed.Server.Client(bed.Server.AdminKey).PutAsync(
            "/v1/integrations/slack", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal([field], await FieldsAsync(response));
    }

    [Fact]
    public async Task Put_AnApiBaseUrl_IsKeptEndingInASlash()
    {
        await using var bed = await SlackTestBed.StartAsync();

        using var put = await bed.Server.Client(bed.Server.AdminKey).PutAsJsonAsync("/v1/integrations/slack", new
        {
            botToken = "xoxb-1-2-abc", signingSecret = "0123456789abcdef", channel = "#reviews", apiBaseUrl = "http://127.0.0.1:9/slack/api",
        }, Ct);

        Assert.Equal("http://127.0.0.1:9/slack/api/", (await put.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("apiBaseUrl").GetString());
    }

    [Fact]
    public async Task TheSettings_AreForAdminsOfTheirOwnWorkspaceOnly()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        var body = new { incomingWebhookUrl = "https://hooks.slack.com/services/x" };

        using var byReviewer = await bed.Server.Client(bed.Server.ReviewerKey).PutAsJsonAsync("/v1/integrations/slack", body, Ct);
        using var readByReviewer = await bed.Server.Client(bed.Server.ReviewerKey).GetAsync("/v1/integrations/slack", Ct);
        using var byAgent = await bed.Server.Client(bed.Server.AgentKey).DeleteAsync("/v1/integrations/slack", Ct);
        using var anonymous = await bed.Server.Client(null).GetAsync("/v1/integrations/slack", Ct);
        using var otherAdmin = await bed.Server.Client(bed.Server.OtherAdminKey).GetAsync("/v1/integrations/slack", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readByReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherAdmin.StatusCode);
        Assert.Equal("bot", (await bed.Server.Client(bed.Server.AdminKey).GetFromJsonAsync<JsonElement>("/v1/integrations/slack", Ct)).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Delete_RemovesTheSettings_AndAuditsIt()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        var admin = bed.Server.Client(bed.Server.AdminKey);

        using var removed = await admin.DeleteAsync("/v1/integrations/slack", Ct);
        using var again = await admin.DeleteAsync("/v1/integrations/slack", Ct);
        using var read = await admin.GetAsync("/v1/integrations/slack", Ct);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal("application/problem+json", read.Content.Headers.ContentType!.MediaType);
        Assert.Null(await bed.Server.Store.GetIntegrationAsync(bed.WorkspaceId, "slack", Ct));
        var entries = await IntegrationAuditAsync(bed);
        Assert.Contains(entries, e => e.Data.Contains("\"removed\"", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<Core.Audit.AuditEntry>> IntegrationAuditAsync(SlackTestBed bed) =>
        [.. (await bed.Server.Store.SearchAuditAsync(bed.WorkspaceId, new AuditQuery { Text = "integration.changed", Limit = 200 }, Ct)).Where(e => e.Action == "integration.changed")];

    // The fields a 400 problem names, sorted.
    private static async Task<IEnumerable<string>> FieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
    }
}
