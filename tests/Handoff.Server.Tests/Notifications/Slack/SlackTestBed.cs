using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Cases;
using Handoff.Server.Notifications;
using Handoff.Server.Notifications.Slack;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Notifications.Slack;

/// <summary>
/// A test server (its public address set, so messages link to cases) and a Slack stand-in, with the helpers the Slack
/// tests share: setting Slack up through the API, adding people, moving the outbox, and posting interactions signed
/// the way Slack signs them.
/// </summary>
internal sealed class SlackTestBed : IAsyncDisposable
{
    public const string PublicUrl = "https://handoff.example.com";
    public const string BotToken = "xoxb-1234-5678-standinbottoken";
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string SlackChannelId = "C0REVIEWS";

    private SlackTestBed(TestServer server, SlackStandIn slack, string workspaceId)
    {
        Server = server;
        Slack = slack;
        WorkspaceId = workspaceId;
    }

    public TestServer Server { get; }
    public SlackStandIn Slack { get; }
    public string WorkspaceId { get; }

    public static async Task<SlackTestBed> StartAsync()
    {
        var server = await TestServer.StartAsync(o => { o.Notifications.PublicUrl = PublicUrl; o.Notifications.Deliver = false; });
        var slack = await SlackStandIn.StartAsync();
        var workspace = await server.Store.FindWorkspaceAsync("default", TestContext.Current.CancellationToken);
        return new SlackTestBed(server, slack, workspace!.Id);
    }

    /// <summary>Sets Slack up in bot mode against the stand-in, through the settings API; <paramref name="extra"/> adds fields (events…).</summary>
    public async Task SetUpBotAsync(Action<JsonObject>? extra = null)
    {
        var body = new JsonObject
        {
            ["botToken"] = BotToken,
            ["signingSecret"] = SigningSecret,
            ["channel"] = SlackChannelId,
            ["apiBaseUrl"] = Slack.ApiBaseUrl,
        };
        extra?.Invoke(body);
        using var put = await Server.Client(Server.AdminKey).PutAsJsonAsync("/v1/integrations/slack", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    /// <summary>A person of the workspace, and the Slack user the stand-in says has their e-mail address.</summary>
    public async Task<User> AddPersonAsync(string slackUser, string email, string name, UserRole role = UserRole.Reviewer)
    {
        var person = await Server.Store.AddUserAsync(new NewUser(WorkspaceId, email, name, role, [], "not-a-password-hash"), Actor.Cli("tests"), TestContext.Current.CancellationToken);
        Slack.Emails[slackUser] = email;
        return person!;
    }

    /// <summary>Fans out what happened since the last pump through the Slack route, and sends it through the Slack channel once.</summary>
    public Task<IReadOnlyList<(Delivery Delivery, DeliveryOutcome Outcome)>> PumpAsync() => OutboxPump.RunAsync(Server, Route, Channel);

    /// <summary>Only fans out, through the Slack route; nothing is sent.</summary>
    public Task DispatchAsync() => OutboxPump.DispatchAsync(Server, Route);

    // The ones the server registered.
    private SlackRoute Route => Server.App.Services.GetServices<IEventRoute>().OfType<SlackRoute>().Single();

    private SlackChannel Channel => Server.App.Services.GetServices<IDeliveryChannel>().OfType<SlackChannel>().Single();

    /// <summary>Submits the high-value refund (review under the built-in policy) and posts it to Slack; returns its id and the posted message.</summary>
    public async Task<(string CaseId, string Channel, string Ts)> EscalateAsync(JsonObject? body = null)
    {
        var id = await TestCases.SubmitPendingAsync(Server.Client(Server.AgentKey), body);
        var sent = await PumpAsync();
        var (delivery, outcome) = Assert.Single(sent, s => s.Delivery.CaseId == id);
        Assert.True(outcome.Delivered, outcome.Error);
        var reference = outcome.Reference!.Split(':');
        return (id, reference[0], reference[1]);
    }

    public Task<HandoffCase?> CaseAsync(string id) => Server.Store.GetCaseAsync(WorkspaceId, id, TestContext.Current.CancellationToken);

    /// <summary>
    /// Posts <paramref name="payload"/> to the workspace's interactions endpoint as Slack does: form-encoded in the
    /// <c>payload</c> field, signed per Slack's documentation (v0= and the hex HMAC-SHA256 of
    /// <c>v0:{timestamp}:{body}</c> with the signing secret), timestamped <paramref name="signedAt"/> (now by default).
    /// </summary>
    public async Task<HttpResponseMessage> InteractAsync(JsonObject payload, DateTimeOffset? signedAt = null, string secret = SigningSecret, string? workspaceId = null)
    {
        var body = "payload=" + Uri.EscapeDataString(payload.ToJsonString());
        var timestamp = (signedAt ?? Server.Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/integrations/slack/{workspaceId ?? WorkspaceId}/interactions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        return await Server.Client(null).SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A <c>block_actions</c> payload as Slack sends it when <paramref name="slackUser"/> presses a button of the message.</summary>
    public JsonObject ButtonPress(string actionId, string caseId, string slackUser, string channel, string ts, string responseHook = "response") => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = slackUser, ["username"] = slackUser.ToLowerInvariant(), ["team_id"] = "T0STANDIN" },
        ["api_app_id"] = "A0STANDIN",
        ["token"] = "verification-token-unused",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = ts, ["channel_id"] = channel, ["is_ephemeral"] = false },
        ["trigger_id"] = "1337.4242.0123456789abcdef",
        ["team"] = new JsonObject { ["id"] = "T0STANDIN", ["domain"] = "standin" },
        ["channel"] = new JsonObject { ["id"] = channel, ["name"] = "reviews" },
        ["message"] = new JsonObject { ["type"] = "message", ["ts"] = ts, ["text"] = "Needs a person" },
        ["response_url"] = Slack.Hook(responseHook).AbsoluteUri,
        ["actions"] = new JsonArray
        {
            new JsonObject
            {
                ["action_id"] = actionId,
                ["block_id"] = "handoff.actions",
                ["value"] = caseId,
                ["type"] = "button",
                ["action_ts"] = "1700000001.000200",
            },
        },
    };

    /// <summary>
    /// A <c>view_submission</c> payload for the modal Handoff opened (as <c>views.open</c> received it), with the inputs
    /// as the person left them: <c>state.values[block_id].value.value</c>.
    /// </summary>
    public static JsonObject Submission(JsonElement openedView, string slackUser, IReadOnlyDictionary<string, string?> inputs)
    {
        var view = JsonNode.Parse(openedView.GetRawText())!.AsObject();
        var values = new JsonObject();
        foreach (var (block, value) in inputs)
        {
            values[block] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = value } };
        }

        view["id"] = "V0STANDIN";
        view["state"] = new JsonObject { ["values"] = values };
        return new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = "T0STANDIN", ["domain"] = "standin" },
            ["user"] = new JsonObject { ["id"] = slackUser, ["username"] = slackUser.ToLowerInvariant(), ["team_id"] = "T0STANDIN" },
            ["api_app_id"] = "A0STANDIN",
            ["trigger_id"] = "1337.4243.0123456789abcdef",
            ["view"] = view,
            ["response_urls"] = new JsonArray(),
        };
    }

    /// <summary>The texts the stand-in's response URL was sent (what the person was told), in order.</summary>
    public IReadOnlyList<string> Told(string responseHook = "response") =>
        [.. Slack.Calls($"hooks/{responseHook}").Select(c => c.Body.GetProperty("text").GetString()!)];

    public async ValueTask DisposeAsync()
    {
        await Slack.DisposeAsync();
        await Server.DisposeAsync();
    }
}
