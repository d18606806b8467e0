using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Notifications.Slack;
using Handoff.Server.Notifications.Slack;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;

namespace Handoff.Server.Tests.Notifications.Slack;

/// <summary>Deciding from Slack through the real server's interactions endpoint, signed as Slack signs, against the stand-in.</summary>
public sealed class SlackInteractionTests
{
    private const string RileyInSlack = "U0RILEY";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Approve_ByAMappedReviewer_DecidesAsThatPerson_AuditsIt_AndUpdatesTheMessage()
    {
        await using var bed = await StartAsync();
        var riley = await bed.AddPersonAsync(RileyInSlack, "Riley@Example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();

        using var response = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decided = await bed.CaseAsync(id);
        Assert.Equal(CaseStatus.Approved, decided!.Status);
        Assert.Equal((Verdict.Approve, new Actor(Actor.UserKind, riley.Id, "Riley Reviewer")), (decided.Decision!.Verdict, decided.Decision.DecidedBy));
        var audit = (await bed.Server.Store.GetCaseHistoryAsync(bed.WorkspaceId, id, Ct)).Single(e => e.Action == "case.decided");
        Assert.Equal((Actor.UserKind, riley.Id, "Riley Reviewer"), (audit.ActorKind, audit.ActorId, audit.ActorName));
        Assert.True(AuditChain.Verify(await bed.Server.Store.ReadAuditAsync(0, 10_000, Ct)).Intact);

        Assert.Equal(RileyInSlack, Assert.Single(bed.Slack.Calls("users.info")).Body.GetProperty("user").GetString());
        var update = Assert.Single(bed.Slack.Calls("chat.update"));
        Assert.Equal(SlackTestBed.BotToken, update.Token);
        Assert.Equal((channel, ts), (update.Body.GetProperty("channel").GetString(), update.Body.GetProperty("ts").GetString()));
        Assert.Equal("Approved by Riley Reviewer", update.Body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.DoesNotContain(update.Body.GetProperty("blocks").EnumerateArray(), b => b.GetRawText().Contains(SlackActions.Approve, StringComparison.Ordinal));
        Assert.Empty(bed.Told());
    }

    [Fact]
    public async Task Reject_DecidesRejected_TellingTheAgentItCameFromSlack()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();

        using var response = await bed.InteractAsync(bed.ButtonPress(SlackActions.Reject, id, RileyInSlack, channel, ts));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decided = await bed.CaseAsync(id);
        Assert.Equal((CaseStatus.Rejected, SlackInteractions.RejectReason), (decided!.Status, decided.Decision!.Text));
        Assert.Equal("Rejected by Riley Reviewer", Assert.Single(bed.Slack.Calls("chat.update")).Body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public async Task AnInteraction_WithABadSignature_Is401_AndDecidesNothing()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();

        using var response = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts), secret: "not-the-signing-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
        Assert.Empty(bed.Slack.Calls("users.info"));
        Assert.Empty(bed.Slack.Calls("chat.update"));
    }

    [Fact]
    public async Task AnInteraction_WhoseBodyWasChangedAfterSigning_Is401()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        using var signed = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, "cs_other", RileyInSlack, channel, ts));

        // The same headers over another body: Slack signed the first, not this one.
        var body = "payload=" + Uri.EscapeDataString(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts).ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/integrations/slack/{bed.WorkspaceId}/interactions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", signed.RequestMessage!.Headers.GetValues("X-Slack-Request-Timestamp"));
        request.Headers.Add("X-Slack-Signature", signed.RequestMessage.Headers.GetValues("X-Slack-Signature"));
        using var tampered = await bed.Server.Client(null).SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
    }

    [Fact]
    public async Task AnInteraction_SignedMoreThanFiveMinutesAgo_Is401_AndDecidesNothing()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();

        using var response = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts), signedAt: bed.Server.Time.GetUtcNow().AddMinutes(-6));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("more than 5 minutes", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
    }

    [Fact]
    public async Task AnInteraction_ForAWorkspaceWithoutSlack_OrSignedWithAnotherWorkspacesSecret_Is401()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        var other = (await bed.Server.Store.FindWorkspaceAsync("other", Ct))!.Id;

        using var noSlack = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts), workspaceId: other);
        using var unknown = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts), workspaceId: "ws_nope");

        Assert.Equal(HttpStatusCode.Unauthorized, noSlack.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
    }

    [Fact]
    public async Task Approve_ByASlackUserNobodyInHandoffIs_TellsThem_AndDecidesNothing()
    {
        await using var bed = await StartAsync();
        bed.Slack.Emails["U0STRANGER"] = "stranger@example.com";
        var (id, channel, ts) = await bed.EscalateAsync();

        using var response = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, "U0STRANGER", channel, ts));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
        var told = Assert.Single(bed.Told());
        Assert.Contains("No one in this Handoff workspace may sign in with stranger@example.com", told, StringComparison.Ordinal);
        var reply = Assert.Single(bed.Slack.Calls("hooks/response")).Body;
        Assert.Equal(("ephemeral", false), (reply.GetProperty("response_type").GetString(), reply.GetProperty("replace_original").GetBoolean()));
        Assert.Empty(bed.Slack.Calls("chat.update"));
    }

    [Fact]
    public async Task Approve_ByADisabledPerson_OrOneOfAnotherWorkspace_TellsThem_AndDecidesNothing()
    {
        await using var bed = await StartAsync();
        var gone = await bed.AddPersonAsync("U0GONE", "gone@example.com", "Gone Person");
        await bed.Server.Store.UpdateUserAsync(bed.WorkspaceId, gone.Id, new UserChanges { Disabled = true }, Actor.Cli("tests"), Ct);
        var other = (await bed.Server.Store.FindWorkspaceAsync("other", Ct))!.Id;
        await bed.Server.Store.AddUserAsync(new NewUser(other, "elsewhere@example.com", "Else Where", UserRole.Admin, [], "x"), Actor.Cli("tests"), Ct);
        bed.Slack.Emails["U0ELSE"] = "elsewhere@example.com";
        var (id, channel, ts) = await bed.EscalateAsync();

        using var byGone = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, "U0GONE", channel, ts));
        using var byElse = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, "U0ELSE", channel, ts));

        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
        Assert.Equal(2, bed.Told().Count);
        Assert.All(bed.Told(), t => Assert.Contains("ask an admin to add you", t, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Approve_WhenSlackWillNotSayWhoTheUserIs_TellsWhy_AndDecidesNothing()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        bed.Slack.FailNext("users.info", 200, """{"ok":false,"error":"missing_scope","needed":"users:read.email"}""");

        using var response = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts));

        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
        Assert.Contains("users:read.email", Assert.Single(bed.Told()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_ByAReviewer_WhenTheRuleWantsASupervisor_TellsThem_AndDecidesNothing_ButASupervisorMay()
    {
        await using var bed = await StartAsync();
        using var policy = await bed.Server.Client(bed.Server.AdminKey).PutAsync("/v1/policy", new StringContent("""
            rules:
              - id: big-refund
                when: { facts.amount: { gt: 1000 } }
                outcome: review
                approvals: { count: 1, role: supervisor }
                reason: Refunds above 1,000 need a supervisor.
            """, Encoding.UTF8, "application/yaml"), Ct);
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        await bed.AddPersonAsync("U0SUE", "sue@example.com", "Sue Supervisor", UserRole.Supervisor);
        var (id, channel, ts) = await bed.EscalateAsync();

        using var byReviewer = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts));

        Assert.Equal(HttpStatusCode.OK, byReviewer.StatusCode);
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
        Assert.Contains("needs approval by a supervisor or above", Assert.Single(bed.Told()), StringComparison.Ordinal);
        Assert.Empty(bed.Slack.Calls("chat.update"));

        using var bySupervisor = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, "U0SUE", channel, ts));

        Assert.Equal(CaseStatus.Approved, (await bed.CaseAsync(id))!.Status);
        Assert.Single(bed.Slack.Calls("chat.update"));
    }

    [Fact]
    public async Task Approve_ACaseAlreadyDecided_SaysWhoDecidedIt_AndChangesNothing()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        using var first = await TestCases.DecideAsync(bed.Server.Client(bed.Server.ReviewerKey), id, new { verdict = "reject", text = "Out of warranty." });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var response = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var c = await bed.CaseAsync(id);
        Assert.Equal((CaseStatus.Rejected, "Rita Reviewer"), (c!.Status, c.Decision!.DecidedBy!.Name));
        Assert.Equal("Already decided: Rejected by Rita Reviewer.", Assert.Single(bed.Told()));
        // The stale buttons go: the message now shows the decision.
        Assert.Equal("Rejected by Rita Reviewer", Assert.Single(bed.Slack.Calls("chat.update")).Body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Edit_OpensAModalPrefilledWithTheProposal_AndItsSubmissionDecidesAsEdit()
    {
        await using var bed = await StartAsync();
        var riley = await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();

        using var pressed = await bed.InteractAsync(bed.ButtonPress(SlackActions.Edit, id, RileyInSlack, channel, ts));

        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        var open = Assert.Single(bed.Slack.Calls("views.open"));
        Assert.Equal(("1337.4242.0123456789abcdef", SlackTestBed.BotToken), (open.Body.GetProperty("trigger_id").GetString(), open.Token));
        var view = open.Body.GetProperty("view");
        var inputs = view.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "input")
            .ToDictionary(b => b.GetProperty("block_id").GetString()!, b => b.GetProperty("element"));
        Assert.Equal("Refunded 1,450.", inputs[SlackActions.TextInput].GetProperty("initial_value").GetString());
        Assert.Equal(1450, JsonElement.Parse(inputs[SlackActions.ArgumentsInput].GetProperty("initial_value").GetString()!).GetProperty("amount").GetInt32());
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);

        using var submitted = await bed.InteractAsync(SlackTestBed.Submission(view, RileyInSlack, new Dictionary<string, string?>
        {
            [SlackActions.TextInput] = "Refunded 900.",
            [SlackActions.ArgumentsInput] = """{"orderId":"B-1","amount":900}""",
            [SlackActions.NoteInput] = "Partial refund, agreed by phone",
        }));

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        // An empty answer closes the modal.
        Assert.Equal("", await submitted.Content.ReadAsStringAsync(Ct));
        var decided = await bed.CaseAsync(id);
        Assert.Equal((CaseStatus.Approved, Verdict.Edit, riley.Id), (decided!.Status, decided.Decision!.Verdict, decided.Decision.DecidedBy!.Id));
        Assert.Equal("Refunded 900.", decided.Decision.Result!.Text);
        Assert.Equal(900, decided.Decision.Result.Action!.Arguments.GetProperty("amount").GetInt32());
        Assert.Equal("Partial refund, agreed by phone", decided.Decision.Note);
        Assert.Contains(decided.Decision.Changes!, change => change.Field == "arguments.amount");
        var update = Assert.Single(bed.Slack.Calls("chat.update"));
        Assert.Equal((channel, ts), (update.Body.GetProperty("channel").GetString(), update.Body.GetProperty("ts").GetString()));
        Assert.Equal("Approved with changes by Riley Reviewer", update.Body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public async Task AnEditSubmission_WithArgumentsThatAreNotJson_AnswersWithTheErrorBesideThem_AndDecidesNothing()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        using var pressed = await bed.InteractAsync(bed.ButtonPress(SlackActions.Edit, id, RileyInSlack, channel, ts));
        var view = Assert.Single(bed.Slack.Calls("views.open")).Body.GetProperty("view");

        using var submitted = await bed.InteractAsync(SlackTestBed.Submission(view, RileyInSlack, new Dictionary<string, string?>
        {
            [SlackActions.TextInput] = "Refunded 1,450.",
            [SlackActions.ArgumentsInput] = """{"orderId":"B-1","amount":}""",
        }));

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var answer = await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("errors", answer.GetProperty("response_action").GetString());
        Assert.StartsWith("Not valid JSON", answer.GetProperty("errors").GetProperty(SlackActions.ArgumentsInput).GetString(), StringComparison.Ordinal);
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
        Assert.Empty(bed.Slack.Calls("chat.update"));
    }

    [Fact]
    public async Task AnEditSubmission_AfterSomeoneElseDecided_ReplacesTheModalWithWhoDecided()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        using var pressed = await bed.InteractAsync(bed.ButtonPress(SlackActions.Edit, id, RileyInSlack, channel, ts));
        var view = Assert.Single(bed.Slack.Calls("views.open")).Body.GetProperty("view");
        using var meanwhile = await TestCases.DecideAsync(bed.Server.Client(bed.Server.ReviewerKey), id, new { verdict = "approve" });

        using var submitted = await bed.InteractAsync(SlackTestBed.Submission(view, RileyInSlack, new Dictionary<string, string?>
        {
            [SlackActions.TextInput] = "Refunded 900.",
            [SlackActions.ArgumentsInput] = """{"orderId":"B-1","amount":900}""",
        }));

        var answer = await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("update", answer.GetProperty("response_action").GetString());
        Assert.Equal("Already decided: Approved by Rita Reviewer.", answer.GetProperty("view").GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal(Verdict.Approve, (await bed.CaseAsync(id))!.Decision!.Verdict);
    }

    [Fact]
    public async Task Edit_OfACaseSomeoneElseHolds_TellsWhoHasIt_AndOpensNothing()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        using var claimed = await bed.Server.Client(bed.Server.ReviewerKey).PostAsync($"/v1/cases/{id}/claim", null, Ct);
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);

        using var edit = await bed.InteractAsync(bed.ButtonPress(SlackActions.Edit, id, RileyInSlack, channel, ts));
        using var approve = await bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts));

        Assert.Empty(bed.Slack.Calls("views.open"));
        Assert.Equal(["Rita Reviewer is working on this case; ask them, or open it in Handoff."], bed.Told().Distinct());
        Assert.Equal(2, bed.Told().Count);
        Assert.Equal(CaseStatus.Assigned, (await bed.CaseAsync(id))!.Status);
    }

    [Fact]
    public async Task WhenSlackIsTooSlowToAnswerHandoff_SlackStillGetsItsAnswerInTime_AndNothingIsDecided()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        var held = bed.Slack.Hold("users.info");

        var pressing = bed.InteractAsync(bed.ButtonPress(SlackActions.Approve, id, RileyInSlack, channel, ts));
        await bed.Slack.UntilCalledAsync("users.info");
        bed.Server.Time.Advance(TimeSpan.FromSeconds(3));
        using var response = await pressing.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        held.SetResult();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
    }

    [Fact]
    public async Task AResponseUrlOnAnotherHost_IsNeverPostedTo()
    {
        await using var bed = await StartAsync();
        var (id, channel, ts) = await bed.EscalateAsync();
        var press = bed.ButtonPress(SlackActions.Approve, id, "U0STRANGER", channel, ts);
        // The stand-in itself, named by another host than the configured API's: were it posted to, the stand-in would see it.
        press["response_url"] = new UriBuilder(bed.Slack.Hook("response")) { Host = "localhost" }.Uri.AbsoluteUri;

        using var response = await bed.InteractAsync(press);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(bed.Slack.Calls("users.info"));
        Assert.Empty(bed.Told());
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
    }

    [Fact]
    public async Task TheLinkButton_AndOtherPayloads_AreAcknowledgedWithoutDoingAnything()
    {
        await using var bed = await StartAsync();
        await bed.AddPersonAsync(RileyInSlack, "riley@example.com", "Riley Reviewer");
        var (id, channel, ts) = await bed.EscalateAsync();
        var closed = new System.Text.Json.Nodes.JsonObject { ["type"] = "view_closed", ["user"] = new System.Text.Json.Nodes.JsonObject { ["id"] = RileyInSlack } };

        using var link = await bed.InteractAsync(bed.ButtonPress(SlackActions.Open, id, RileyInSlack, channel, ts));
        using var other = await bed.InteractAsync(closed);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (link.StatusCode, other.StatusCode));
        Assert.Empty(bed.Slack.Calls("users.info"));
        Assert.Equal(CaseStatus.Pending, (await bed.CaseAsync(id))!.Status);
    }

    [Fact]
    public async Task ASignedRequestWithoutAPayload_IsAProblemNamingTheField()
    {
        await using var bed = await StartAsync();
        var body = "something=else";
        var timestamp = bed.Server.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(SlackTestBed.SigningSecret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/integrations/slack/{bed.WorkspaceId}/interactions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);

        using var response = await bed.Server.Client(null).SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("payload", out _));
    }

    private static async Task<SlackTestBed> StartAsync()
    {
        var bed = await SlackTestBed.StartAsync();
        await bed.SetUpBotAsync();
        return bed;
    }
}
