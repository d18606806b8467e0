using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Notifications.Slack;

namespace Handoff.Server.Tests.Notifications.Slack;

/// <summary>Whatever arrives at the Slack and Teams endpoints — signed by Slack or sent by an admin — the answer is never a 500.</summary>
public sealed class SlackNoServerErrorTests
{
    private static readonly string[] Types = ["block_actions", "view_submission", "view_closed", "shortcut"];
    private static readonly string[] Actions = [SlackActions.Approve, SlackActions.Reject, SlackActions.Edit, SlackActions.Open, "other"];
    private static readonly string[] Blocks = [SlackActions.TextInput, SlackActions.ArgumentsInput, SlackActions.NoteInput, "other"];

    // A JSON value of any type: what a field Handoff reads may hold instead of what Slack sends.
    // Nodes are made anew for every sample: a JsonNode belongs to one parent only.
    private static readonly Gen<JsonNode?> Junk = Gen.OneOf<JsonNode?>(
        Gen.Const<JsonNode?>(() => null), Gen.Bool.Select(b => (JsonNode?)b), Gen.Int.Select(i => (JsonNode?)i),
        Gen.String[Gen.Char.AlphaNumeric, 0, 8].Select(s => (JsonNode?)s), Gen.Const<JsonNode?>(() => new JsonArray()), Gen.Const<JsonNode?>(() => new JsonObject()));

    private static Gen<JsonNode?> Maybe(Gen<JsonNode?> good) => Gen.Frequency((3, good), (1, Junk));

    private static Gen<JsonObject> Payload(string caseId, string channel, string ts, string responseUrl) =>
        from type in Gen.OneOf(Types.Select(Gen.Const).ToArray())
        from user in Maybe(Gen.OneOf(Gen.Const("U0RILEY"), Gen.Const("U0NOBODY")).Select(id => (JsonNode?)new JsonObject { ["id"] = id }))
        from action in Maybe(Gen.OneOf(Actions.Select(Gen.Const).ToArray()).Select(a => (JsonNode?)a))
        from value in Maybe(Gen.OneOf(Gen.Const(caseId), Gen.Const("cs_nope"), Gen.Const("")).Select(v => (JsonNode?)v))
        from container in Maybe(Gen.Const<JsonNode?>(() => new JsonObject { ["channel_id"] = channel, ["message_ts"] = ts }))
        from metadata in Maybe(Gen.OneOf(Gen.Const($$"""{"caseId":"{{caseId}}","channel":"{{channel}}","ts":"{{ts}}"}"""), Gen.Const("{}"), Gen.Const("[")).Select(m => (JsonNode?)m))
        from block in Gen.OneOf(Blocks.Select(Gen.Const).ToArray())
        from input in Maybe(Gen.OneOf(Gen.Const("""{"orderId":"B-1","amount":900}"""), Gen.Const("{"), Gen.Const("[1]"), Gen.Const("text")).Select(v => (JsonNode?)v))
        select new JsonObject
        {
            ["type"] = type,
            ["user"] = user,
            ["trigger_id"] = "1.2.3",
            ["container"] = container,
            ["response_url"] = responseUrl,
            ["actions"] = new JsonArray { new JsonObject { ["action_id"] = action, ["value"] = value } },
            ["view"] = new JsonObject
            {
                ["callback_id"] = SlackActions.EditView,
                ["private_metadata"] = metadata,
                ["state"] = new JsonObject { ["values"] = new JsonObject { [block] = new JsonObject { [SlackActions.InputValue] = new JsonObject { ["value"] = input } } } },
            },
        };

    [Fact]
    public async Task SignedPayloadsOfEveryShape_NeverGetA500_AndOnlyPeopleDecide()
    {
        await using var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        await bed.AddPersonAsync("U0RILEY", "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        var failures = new List<string>();

        await Payload(id, channel, ts, bed.Slack.Hook("response").AbsoluteUri).SampleAsync(async payload =>
        {
            using var response = await bed.InteractAsync(payload);
            if (response.StatusCode >= HttpStatusCode.InternalServerError)
            {
                failures.Add($"{payload.ToJsonString()} → {(int)response.StatusCode}");
            }
        }, iter: 300, threads: 1);

        Assert.Empty(failures);
        Assert.DoesNotContain(bed.Slack.AllCalls, c => c.Token is { } token && token != SlackTestBed.BotToken);
        if ((await bed.CaseAsync(id))!.Decision is { } decision)
        {
            Assert.Equal("Riley Reviewer", decision.DecidedBy!.Name);
        }
    }

    [Fact]
    public async Task RandomSettingsBodies_NeverGetA500()
    {
        await using var bed = await SlackTestBed.StartAsync();
        var admin = bed.Server.Client(bed.Server.AdminKey);
        string[] fields = ["botToken", "signingSecret", "channel", "incomingWebhookUrl", "events", "apiBaseUrl", "webhookUrl"];
        var body = Gen.Select(Gen.OneOf(fields.Select(Gen.Const).ToArray()), Gen.Frequency(
                (2, Junk),
                (2, Gen.OneOf(Gen.Const("xoxb-1-2"), Gen.Const("0123456789abcdef"), Gen.Const("C01"), Gen.Const("https://hooks.slack.com/x"), Gen.Const("http://[::1"))
                    .Select(s => (JsonNode?)s)),
                (1, Gen.Const<JsonNode?>(() => new JsonArray("case.decided", null, 3)))))
            .Array[0, 6]
            .Select(pairs =>
            {
                var o = new JsonObject();
                foreach (var (name, value) in pairs)
                {
                    o[name] = value?.DeepClone();
                }

                return o.ToJsonString();
            });
        var failures = new List<string>();

        await Gen.Select(Gen.Bool, body).SampleAsync(async sample =>
        {
            var (slack, json) = sample;
            using var request = new HttpRequestMessage(HttpMethod.Put, slack ? "/v1/integrations/slack" : "/v1/integrations/teams")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            using var response = await admin.SendAsync(request);
            if (response.StatusCode >= HttpStatusCode.InternalServerError)
            {
                failures.Add($"{request.RequestUri} {json} → {(int)response.StatusCode}");
            }
        }, iter: 400, threads: 1);

        Assert.Empty(failures);
    }
}
