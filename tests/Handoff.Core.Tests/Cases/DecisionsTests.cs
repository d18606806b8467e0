using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Cases;

public sealed class DecisionsTests
{
    private static readonly Actor Rita = new("reviewer", "key_1", "Rita");
    private static readonly DateTimeOffset At = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static readonly Proposal Refund = new("Refunded.", new ToolCall("issue_refund", Json("""{"orderId":"B-1","amount":1450,"meta":{"reason":"broken","by":"bot"}}""")), 0.9);
    private static readonly Proposal Replace = new("Replacement sent.", new ToolCall("ship_replacement", Json("""{"orderId":"B-1"}""")), 0.7);

    [Fact]
    public void Make_Approve_ResultIsTheProposalAndDigestMatchesIt()
    {
        var outcome = Decisions.Make(Case(), new DecisionRequest(Verdict.Approve), Rita, At);

        Assert.Equal(CaseStatus.Approved, outcome.Status);
        Assert.Same(Refund, outcome.Decision!.Result);
        Assert.Equal(ProposalDigest.Compute(Refund), outcome.Decision.ProposalDigest);
        Assert.Equal(Rita, outcome.Decision.DecidedBy);
        Assert.Empty(outcome.Decision.Changes);
    }

    [Fact]
    public void Make_EditArguments_RecordsEachChangedLeafAndAppliesTheNewArguments()
    {
        var edited = Json("""{"orderId":"B-1","amount":900,"meta":{"reason":"broken","by":"rita"},"note":"partial"}""");

        var outcome = Decisions.Make(Case(), new DecisionRequest(Verdict.Edit, Arguments: edited), Rita, At);

        var changes = outcome.Decision!.Changes.ToDictionary(c => c.Field);
        Assert.Equal(["arguments.amount", "arguments.meta.by", "arguments.note"], changes.Keys.Order());
        Assert.Equal(1450, changes["arguments.amount"].From!.GetValue<int>());
        Assert.Equal(900, changes["arguments.amount"].To!.GetValue<int>());
        Assert.Null(changes["arguments.note"].From);
        Assert.Equal(900, outcome.Decision.Result!.Action!.Arguments.GetProperty("amount").GetInt32());
        Assert.Equal("Refunded.", outcome.Decision.Result.Text);
        Assert.Equal(ProposalDigest.Compute(Refund), outcome.Decision.ProposalDigest);
        Assert.Equal(ProposalDigest.Compute(outcome.Decision.Result), outcome.Decision.ResultDigest);
        Assert.NotEqual(outcome.Decision.ProposalDigest, outcome.Decision.ResultDigest);
    }

    [Fact]
    public void Make_EditText_RecordsTheTextChange()
    {
        var outcome = Decisions.Make(Case(), new DecisionRequest(Verdict.Edit, Text: "Refunded in full."), Rita, At);

        var change = Assert.Single(outcome.Decision!.Changes);
        Assert.Equal("text", change.Field);
        Assert.Equal("Refunded.", change.From!.GetValue<string>());
        Assert.Equal("Refunded in full.", outcome.Decision.Result!.Text);
    }

    [Fact]
    public void Make_Choose_ResultIsTheOptionAndResultDigestIsOfTheOption()
    {
        var outcome = Decisions.Make(Case(), new DecisionRequest(Verdict.Choose, Option: 0), Rita, At);

        Assert.Same(Replace, outcome.Decision!.Result);
        Assert.Equal(ProposalDigest.Compute(Refund), outcome.Decision.ProposalDigest);
        Assert.Equal(ProposalDigest.Compute(Replace), outcome.Decision.ResultDigest);
    }

    [Theory]
    [InlineData(Verdict.Choose, null, null, "option")]
    [InlineData(Verdict.Choose, null, 3, "option")]
    [InlineData(Verdict.Choose, null, -1, "option")]
    [InlineData(Verdict.Reject, null, null, "text")]
    [InlineData(Verdict.Respond, " ", null, "text")]
    [InlineData(Verdict.Edit, null, null, "text")]
    public void Make_WithMissingOrBadField_NamesTheField(Verdict verdict, string? text, int? option, string field)
    {
        var outcome = Decisions.Make(Case(), new DecisionRequest(verdict, text, default, option), Rita, At);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Errors.ContainsKey(field));
    }

    [Fact]
    public void Make_EditArgumentsWhenProposalHasNoToolCall_NamesArguments()
    {
        var textOnly = Case() with { Content = Case().Content with { Proposal = new Proposal("Hi", null, 0.5) } };

        var outcome = Decisions.Make(textOnly, new DecisionRequest(Verdict.Edit, Arguments: Json("""{"a":1}""")), Rita, At);

        Assert.True(outcome.Errors.ContainsKey("arguments"));
    }

    [Fact]
    public void ByPolicy_ApprovesAutoRejectsBlockAndLeavesTheRestToPeople()
    {
        var content = Case().Content;

        Assert.Equal(Verdict.Approve, Decisions.ByPolicy(content, Outcome.Auto, 3, At)!.Verdict);
        Assert.Equal("policy", Decisions.ByPolicy(content, Outcome.Auto, 3, At)!.DecidedBy!.Kind);
        Assert.Equal(Verdict.Reject, Decisions.ByPolicy(content, Outcome.Block, 3, At)!.Verdict);
        Assert.Null(Decisions.ByPolicy(content, Outcome.Review, 3, At));
        Assert.Null(Decisions.ByPolicy(content, Outcome.Escalate, 3, At));
    }

    [Fact]
    public void IsPerson_IsTrueForWhoeverDecidesByHandButNotForThePolicyOrHandoff()
    {
        Assert.False(Decisions.ByPolicy(Case().Content, Outcome.Auto, 3, At)!.DecidedBy!.IsPerson());
        Assert.False(Decisions.ByPolicy(Case().Content, Outcome.Block, 3, At)!.DecidedBy!.IsPerson());
        Assert.False(Actor.System.IsPerson());
        Assert.True(Rita.IsPerson());
        Assert.True(new Actor("user", "usr_1", "Uma").IsPerson());
        Assert.True(Actor.Cli("ops").IsPerson());
    }

    [Theory]
    [InlineData(TimeoutEffect.Approve, CaseStatus.Approved, Verdict.Approve)]
    [InlineData(TimeoutEffect.Reject, CaseStatus.Rejected, Verdict.Reject)]
    public void ByTimeout_ApproveOrReject_IsATimedOutDecisionByNobody(TimeoutEffect effect, CaseStatus status, Verdict verdict)
    {
        var expired = Decisions.ByTimeout(Case() with { OnTimeout = effect, ExpiresAt = At }, At.AddMinutes(1));

        Assert.Equal(status, expired.Status);
        Assert.Equal(verdict, expired.Decision!.Verdict);
        Assert.True(expired.Decision.TimedOut);
        Assert.Null(expired.Decision.DecidedBy);
        Assert.Null(expired.ExpiresAt);
    }

    [Theory]
    [InlineData(TimeoutEffect.Approve)]
    [InlineData(TimeoutEffect.Reject)]
    [InlineData(TimeoutEffect.Escalate)]
    public void ByTimeout_OfACaseRingingForSomeone_EndsTheOfferOnlyWhenItDecides(TimeoutEffect effect)
    {
        var offer = new CaseOffer(Rita, At, At.AddMinutes(2), Live: false);

        var expired = Decisions.ByTimeout(Case() with { OnTimeout = effect, ExpiresAt = At, Offer = offer }, At.AddMinutes(1));

        // Found by the store's routing property: a case expired while ringing stayed closed with the offer on it.
        Assert.Equal(effect == TimeoutEffect.Escalate ? offer : null, expired.Offer);
    }

    [Fact]
    public void ByTimeout_Escalate_KeepsTheCaseOpenAtUrgentWithoutExpiry()
    {
        var expired = Decisions.ByTimeout(Case() with { OnTimeout = TimeoutEffect.Escalate, ExpiresAt = At }, At.AddMinutes(1));

        Assert.Equal(CaseStatus.Escalated, expired.Status);
        Assert.Null(expired.Decision);
        Assert.Equal(Priority.Urgent, expired.Evaluation.Priority);
        Assert.Null(expired.ExpiresAt);
    }

    private static HandoffCase Case() => new()
    {
        Id = "cs_1",
        WorkspaceId = "ws_1",
        Content = new CaseContent { Kind = CaseKind.Action, Proposal = Refund, Options = [Replace] },
        Evaluation = new Evaluation(Outcome.Review, [], "sales", Priority.Normal, 0.75, 1),
        Status = CaseStatus.Pending,
        CreatedAt = At,
    };

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
