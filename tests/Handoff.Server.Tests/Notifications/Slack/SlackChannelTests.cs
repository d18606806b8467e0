using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Notifications.Slack;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Notifications.Slack;

/// <summary>The Slack route and channel through the real outbox, against the Slack stand-in.</summary>
public sealed class SlackChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEscalatedCase_IsPostedToTheChannelWithButtons_AsTheBot_AndItsMessageRemembered()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();

        var (id, channel, ts) = await bed.EscalateAsync();

        var post = Assert.Single(bed.Slack.Calls("chat.postMessage"));
        Assert.Equal(SlackTestBed.BotToken, post.Token);
        Assert.Equal(SlackTestBed.SlackChannelId, post.Body.GetProperty("channel").GetString());
        Assert.Equal("Needs a person: Refund a broken machine", post.Body.GetProperty("text").GetString());
        var actions = post.Body.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "actions");
        var buttons = actions.GetProperty("elements").EnumerateArray().ToList();
        Assert.Equal([SlackActions.Approve, SlackActions.Reject, SlackActions.Edit, SlackActions.Open], buttons.Select(b => b.GetProperty("action_id").GetString()));
        Assert.Equal([id, id, id], buttons.Take(3).Select(b => b.GetProperty("value").GetString()));
        Assert.Equal($"{SlackTestBed.PublicUrl}/cases/{id}", buttons[3].GetProperty("url").GetString());
        Assert.Equal((SlackTestBed.SlackChannelId, "1700000000.000001"), (channel, ts));
        Assert.Equal($"{channel}:{ts}", await bed.Server.Store.GetDeliveryReferenceAsync(bed.WorkspaceId, id, "slack", SlackTestBed.SlackChannelId, Ct));
    }

    [Fact]
    public async Task TheDecision_ReplacesThePostedMessage_InsteadOfPostingAnother()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        var (id, channel, ts) = await bed.EscalateAsync();

        using var decided = await TestCases.DecideAsync(bed.Server.Client(bed.Server.ReviewerKey), id, new { verdict = "approve", note = "Photos check out" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var sent = await bed.PumpAsync();

        var (delivery, outcome) = Assert.Single(sent);
        Assert.Equal(("case.decided", true, $"{channel}:{ts}"), (delivery.EventType, outcome.Delivered, outcome.Reference));
        Assert.Single(bed.Slack.Calls("chat.postMessage"));
        var update = Assert.Single(bed.Slack.Calls("chat.update"));
        Assert.Equal((channel, ts), (update.Body.GetProperty("channel").GetString(), update.Body.GetProperty("ts").GetString()));
        Assert.Equal("Approved by Rita Reviewer", update.Body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        var last = update.Body.GetProperty("blocks").EnumerateArray().Last();
        Assert.Equal([SlackActions.Open], last.GetProperty("elements").EnumerateArray().Select(b => b.GetProperty("action_id").GetString()));
    }

    [Fact]
    public async Task ADecisionWhoseMessageWasDeleted_IsPostedAnew()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        var (id, _, _) = await bed.EscalateAsync();
        using var decided = await TestCases.DecideAsync(bed.Server.Client(bed.Server.ReviewerKey), id, new { verdict = "approve" });
        bed.Slack.FailNext("chat.update", 200, """{"ok":false,"error":"message_not_found"}""");

        var (_, outcome) = Assert.Single(await bed.PumpAsync());

        Assert.True(outcome.Delivered);
        Assert.Equal(2, bed.Slack.Calls("chat.postMessage").Count);
        Assert.Equal($"{SlackTestBed.SlackChannelId}:1700000000.000002", outcome.Reference);
    }

    [Fact]
    public async Task RateLimited_IsNotDelivered_AndWaitsAsLongAsSlackAsks()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        bed.Slack.FailNext("chat.postMessage", 429, """{"ok":false,"error":"ratelimited"}""", retryAfterSeconds: 7);

        await TestCases.SubmitPendingAsync(bed.Server.Client(bed.Server.AgentKey));
        var (_, outcome) = Assert.Single(await bed.PumpAsync());

        Assert.False(outcome.Delivered);
        Assert.False(outcome.Permanent);
        Assert.Equal((429, "ratelimited", TimeSpan.FromSeconds(7)), (outcome.StatusCode, outcome.Error, outcome.RetryAfter));
    }

    [Fact]
    public async Task ARevokedToken_IsAPermanentFailure_ThatSaysSo()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        bed.Slack.FailNext("chat.postMessage", 200, """{"ok":false,"error":"token_revoked"}""");

        await TestCases.SubmitPendingAsync(bed.Server.Client(bed.Server.AgentKey));
        var (_, outcome) = Assert.Single(await bed.PumpAsync());

        Assert.Equal((false, true, "token_revoked", 200), (outcome.Delivered, outcome.Permanent, outcome.Error, outcome.StatusCode));
    }

    [Fact]
    public async Task InternalErrors_AreTriedAgain()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        bed.Slack.FailNext("chat.postMessage", 503, "upstream unavailable");

        await TestCases.SubmitPendingAsync(bed.Server.Client(bed.Server.AgentKey));
        var (_, outcome) = Assert.Single(await bed.PumpAsync());

        Assert.Equal((false, false, 503), (outcome.Delivered, outcome.Permanent, outcome.StatusCode));
    }

    [Fact]
    public async Task WebhookMode_PostsToTheIncomingWebhook_WithoutDecisionButtons()
    {
        await using var bed = await SlackTestBed.StartAsync();
        using var put = await bed.Server.Client(bed.Server.AdminKey).PutAsJsonAsync(
            "/v1/integrations/slack", new { incomingWebhookUrl = bed.Slack.Hook("incoming").AbsoluteUri }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await TestCases.SubmitPendingAsync(bed.Server.Client(bed.Server.AgentKey));
        var (delivery, outcome) = Assert.Single(await bed.PumpAsync());

        Assert.Equal(("webhook", true), (delivery.Target, outcome.Delivered));
        var post = Assert.Single(bed.Slack.Calls("hooks/incoming"));
        Assert.Null(post.Token);
        var actions = post.Body.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "actions");
        Assert.Equal([SlackActions.Open], actions.GetProperty("elements").EnumerateArray().Select(b => b.GetProperty("action_id").GetString()));
        Assert.Empty(bed.Slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task AWebhookThatIsGone_IsAPermanentFailure()
    {
        await using var bed = await SlackTestBed.StartAsync();
        using var put = await bed.Server.Client(bed.Server.AdminKey).PutAsJsonAsync(
            "/v1/integrations/slack", new { incomingWebhookUrl = bed.Slack.Hook("incoming").AbsoluteUri }, Ct);
        bed.Slack.FailNext("hooks/incoming", 404, "no_service");

        await TestCases.SubmitPendingAsync(bed.Server.Client(bed.Server.AgentKey));
        var (_, outcome) = Assert.Single(await bed.PumpAsync());

        Assert.Equal((false, true, "no_service"), (outcome.Delivered, outcome.Permanent, outcome.Error));
    }

    [Fact]
    public async Task OnlyTheEventsTheSettingsList_ArePosted()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync(body => body["events"] = new JsonArray("sla.breached"));

        var id = await TestCases.SubmitPendingAsync(bed.Server.Client(bed.Server.AgentKey));
        using var decided = await TestCases.DecideAsync(bed.Server.Client(bed.Server.ReviewerKey), id, new { verdict = "approve" });

        Assert.Empty(await bed.PumpAsync());
        Assert.Empty(bed.Slack.AllCalls);
    }

    [Fact]
    public async Task AnotherWorkspacesCases_AreNotPostedToThisWorkspacesSlack()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();

        await TestCases.SubmitPendingAsync(bed.Server.Client(bed.Server.OtherAgentKey));

        Assert.Empty(await bed.PumpAsync());
    }

    [Fact]
    public async Task SettingsRemovedAfterTheMessageWasQueued_FailItForGood()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        await TestCases.SubmitPendingAsync(bed.Server.Client(bed.Server.AgentKey));
        await bed.DispatchAsync();

        using var removed = await bed.Server.Client(bed.Server.AdminKey).DeleteAsync("/v1/integrations/slack", Ct);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var (_, outcome) = Assert.Single(await bed.PumpAsync());

        Assert.Equal((false, true), (outcome.Delivered, outcome.Permanent));
        Assert.Contains("no longer set up", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(bed.Slack.AllCalls);
    }

    [Fact]
    public async Task AChannelGivenByName_IsRememberedByTheIdSlackAnswersWith()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync(body => body["channel"] = "#reviews");

        var (id, channel, _) = await bed.EscalateAsync();

        Assert.Equal("#reviews", Assert.Single(bed.Slack.Calls("chat.postMessage")).Body.GetProperty("channel").GetString());
        Assert.Equal("C0STANDIN", channel);
        Assert.NotNull(await bed.Server.Store.GetDeliveryReferenceAsync(bed.WorkspaceId, id, "slack", "#reviews", Ct));
        Assert.Equal(JsonValueKind.Array, Assert.Single(bed.Slack.Calls("chat.postMessage")).Body.GetProperty("blocks").ValueKind);
    }
}
