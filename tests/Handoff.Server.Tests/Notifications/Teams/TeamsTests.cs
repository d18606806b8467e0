using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Notifications;
using Handoff.Server.Notifications.Teams;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Notifications.Teams;

/// <summary>Microsoft Teams: the settings API, and cards through the real outbox to a Workflows webhook stand-in.</summary>
public sealed class TeamsTests
{
    private const string PublicUrl = "https://handoff.example.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Put_StoresTheWebhook_ShowsOnlyItsHost_AndAuditsNoSecret()
    {
        await using var server = await TestServer.StartAsync(o => o.Notifications.Deliver = false);
        var admin = server.Client(server.AdminKey);

        using var put = await admin.PutAsJsonAsync("/v1/integrations/teams", new
        {
            webhookUrl = "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=TOPSECRET",
            events = new[] { "case.escalated" },
        }, Ct);
        var shown = await admin.GetFromJsonAsync<JsonElement>("/v1/integrations/teams", Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("https://prod-01.westeurope.logic.azure.com/…", shown.GetProperty("webhookUrl").GetString());
        Assert.Equal(["case.escalated"], shown.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var workspace = (await server.Store.FindWorkspaceAsync("default", Ct))!.Id;
        var audit = (await server.Store.SearchAuditAsync(workspace, new AuditQuery { Text = "integration.changed" }, Ct)).Single(e => e.Action == "integration.changed");
        Assert.Contains("prod-01.westeurope.logic.azure.com", audit.Data, StringComparison.Ordinal);
        Assert.DoesNotContain("TOPSECRET", audit.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_WithoutAUsableUrl_OrWithUnknownEvents_IsAProblemNamingTheField()
    {
        await using var server = await TestServer.StartAsync(o => o.Notifications.Deliver = false);
        var admin = server.Client(server.AdminKey);

        using var missing = await admin.PutAsJsonAsync("/v1/integrations/teams", new { events = new[] { "case.decided" } }, Ct);
        using var bad = await admin.PutAsJsonAsync("/v1/integrations/teams", new { webhookUrl = "teams.example.com/hook", events = new[] { "autonomy.changed" } }, Ct);

        Assert.Equal(["webhookUrl"], await FieldsAsync(missing));
        Assert.Equal(["events[0]", "webhookUrl"], await FieldsAsync(bad));
    }

    [Fact]
    public async Task TheSettings_AreForAdminsOfTheirOwnWorkspaceOnly_AndDeleteRemovesThem()
    {
        await using var server = await TestServer.StartAsync(o => o.Notifications.Deliver = false);
        var admin = server.Client(server.AdminKey);
        using var put = await admin.PutAsJsonAsync("/v1/integrations/teams", new { webhookUrl = "https://teams.example.com/hook" }, Ct);

        using var byReviewer = await server.Client(server.ReviewerKey).GetAsync("/v1/integrations/teams", Ct);
        using var otherAdmin = await server.Client(server.OtherAdminKey).GetAsync("/v1/integrations/teams", Ct);
        using var removed = await admin.DeleteAsync("/v1/integrations/teams", Ct);
        using var read = await admin.GetAsync("/v1/integrations/teams", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task AnEscalatedCase_IsPostedAsAnAdaptiveCard_ThatLinksToTheCase()
    {
        await using var server = await TestServer.StartAsync(o => { o.Notifications.PublicUrl = PublicUrl; o.Notifications.Deliver = false; });
        await using var teams = await TeamsStandIn.StartAsync();
        await SetUpAsync(server, teams);

        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var (delivery, outcome) = Assert.Single(await PumpAsync(server));

        Assert.Equal(("teams", "webhook", "case.escalated", true, 202), (delivery.Channel, delivery.Target, delivery.EventType, outcome.Delivered, outcome.StatusCode));
        var post = Assert.Single(teams.Posts);
        Assert.Equal("message", post.GetProperty("type").GetString());
        var attachment = Assert.Single(post.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        var open = Assert.Single(card.GetProperty("actions").EnumerateArray());
        Assert.Equal(("Action.OpenUrl", $"{PublicUrl}/cases/{id}"), (open.GetProperty("type").GetString(), open.GetProperty("url").GetString()));
        var lines = card.GetProperty("body").EnumerateArray()
            .Select(b => string.Concat(b.GetProperty("inlines").EnumerateArray().Select(r => r.GetProperty("text").GetString()))).ToList();
        Assert.Equal(("Needs a person", "Refund a broken machine"), (lines[0], lines[1]));
        Assert.Contains("Customer: Tom", lines);
    }

    [Fact]
    public async Task Throttling_IsTriedAgainAfterRetryAfter_AndARefusal_IsPermanent()
    {
        await using var server = await TestServer.StartAsync(o => o.Notifications.Deliver = false);
        await using var teams = await TeamsStandIn.StartAsync();
        await SetUpAsync(server, teams);

        teams.AnswerNext(429, "Too many requests", retryAfterSeconds: 30);
        await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var (_, throttled) = Assert.Single(await PumpAsync(server));
        teams.AnswerNext(400, "Invalid request: the card could not be parsed");
        await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var (_, refused) = Assert.Single(await PumpAsync(server));

        Assert.Equal((false, false, TimeSpan.FromSeconds(30)), (throttled.Delivered, throttled.Permanent, throttled.RetryAfter));
        Assert.Equal((false, true, 400), (refused.Delivered, refused.Permanent, refused.StatusCode));
        Assert.Contains("could not be parsed", refused.ResponseExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALegacyWebhookSayingItThrottledIn200_IsNotDelivered()
    {
        await using var server = await TestServer.StartAsync(o => o.Notifications.Deliver = false);
        await using var teams = await TeamsStandIn.StartAsync();
        await SetUpAsync(server, teams);
        teams.AnswerNext(200, "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0");

        await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var (_, outcome) = Assert.Single(await PumpAsync(server));

        Assert.Equal((false, false), (outcome.Delivered, outcome.Permanent));
    }

    [Fact]
    public async Task AnUnreachableWebhook_IsTriedAgain_NotThrown()
    {
        await using var server = await TestServer.StartAsync(o => o.Notifications.Deliver = false);
        // Port 1 (tcpmux) listens nowhere, and no test server is ever given it.
        using var put = await server.Client(server.AdminKey).PutAsJsonAsync("/v1/integrations/teams", new { webhookUrl = "http://127.0.0.1:1/hook" }, Ct);

        await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var (_, outcome) = Assert.Single(await PumpAsync(server));

        Assert.Equal((false, false), (outcome.Delivered, outcome.Permanent));
        Assert.StartsWith("could not reach Microsoft Teams", outcome.Error, StringComparison.Ordinal);
    }

    private static async Task SetUpAsync(TestServer server, TeamsStandIn teams)
    {
        using var put = await server.Client(server.AdminKey).PutAsJsonAsync("/v1/integrations/teams", new { webhookUrl = teams.WebhookUrl.AbsoluteUri }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    private static Task<IReadOnlyList<(Delivery Delivery, DeliveryOutcome Outcome)>> PumpAsync(TestServer server) => OutboxPump.RunAsync(
        server,
        server.App.Services.GetServices<IEventRoute>().OfType<TeamsRoute>().Single(),
        server.App.Services.GetServices<IDeliveryChannel>().OfType<TeamsChannel>().Single());

    private static async Task<IEnumerable<string>> FieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
    }
}
