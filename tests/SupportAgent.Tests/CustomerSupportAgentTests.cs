using Handoff.Client;

namespace Handoff.Samples.SupportAgent.Tests;

/// <summary>The sample agent end to end against a running server: what the policy lets it do alone, and what people decide.</summary>
public sealed class CustomerSupportAgentTests
{
    [Fact]
    public async Task Handle_ConfidentRoutineQuestion_IsAnsweredAtOnceWithoutAPerson()
    {
        await using var harness = await AgentHarness.StartAsync();
        var conversation = AgentHarness.Conversation("Which payment methods do you accept? Can I pay with PayPal or Klarna?");

        var outcome = await harness.Agent.HandleAsync(conversation, TestContext.Current.CancellationToken);

        Assert.Equal(PolicyOutcome.Auto, outcome.Outcome);
        Assert.Equal(CaseStatus.Approved, outcome.Status);
        Assert.Equal("policy", outcome.Decision!.DecidedBy!.Kind);
        Assert.StartsWith("Hi Tom, we accept Visa", outcome.Sent, StringComparison.Ordinal);
        var effect = Assert.Single(harness.Shop.Effects);
        Assert.Equal(outcome.Sent, effect.Message);
    }

    [Fact]
    public async Task Handle_LargeRefund_WaitsForAPerson_AndRefundsWhatTheyEdited()
    {
        await using var harness = await AgentHarness.StartAsync();
        var (pending, outcome) = await harness.HandleWithPersonAsync("The espresso machine from order B-11872 arrived cracked. I want my €1,450 back.", new { verdict = "edit", arguments = new { orderId = "B-11872", amount = 900, currency = "EUR" } });

        Assert.Equal("get_refund", (string?)pending["facts"]!["intent"]);
        Assert.Contains("Tom Becker, order B-11872, 1,450 EUR", (string?)pending["summary"], StringComparison.Ordinal);
        Assert.Equal("sales", (string?)pending["team"]);
        Assert.Contains(pending["reasons"]!.AsArray(), r => (string?)r!["rule"] == "high-value");
        Assert.Contains(pending["reasons"]!.AsArray(), r => (string?)r!["rule"] == "money-back");

        Assert.Equal(CaseStatus.Approved, outcome.Status);
        Assert.Equal(Verdict.Edit, outcome.Decision!.Verdict);
        Assert.Equal("Rita Reviewer", outcome.Decision.DecidedBy!.Name);
        Assert.Equal("issue_refund", outcome.Ran!.Name);
        Assert.Equal(900, outcome.Ran.Arguments!["amount"]!.GetValue<decimal>());
        Assert.Equal(2, harness.Shop.Effects.Count); // the refund, then the message
        Assert.Equal(outcome.Ran, harness.Shop.Effects.First().Call);
        Assert.Contains("a refund of 900 EUR for order B-11872", outcome.Sent, StringComparison.Ordinal); // not the 1,450 drafted
        // It closed the loop: the case's receipt says the approved (edited) refund was carried out, as approved.
        var receipt = (await harness.Handoff.GetCaseAsync(outcome.CaseId, TestContext.Current.CancellationToken)).Receipt!;
        Assert.Equal((Handoff.Client.ExecutionOutcome.Executed, false), (receipt.Outcome, receipt.Mismatch));
    }

    [Fact]
    public async Task Handle_EditThatDropsTheOrder_RunsNothingAndHoldsTheCustomer()
    {
        await using var harness = await AgentHarness.StartAsync();
        var (pending, outcome) = await harness.HandleWithPersonAsync("Refund order B-11872 please, the €1,450 machine is broken.", new { verdict = "edit", arguments = new { amount = 900 } }); // arguments are replaced whole

        Assert.Equal("get_refund", (string?)pending["facts"]!["intent"]);

        Assert.Equal(CaseStatus.Approved, outcome.Status);
        Assert.Null(outcome.Ran);
        Assert.Equal(CustomerSupportAgent.HoldingMessage, outcome.Sent);
        Assert.DoesNotContain(harness.Shop.Effects, e => e.Call is not null);
        var receipt = (await harness.Handoff.GetCaseAsync(outcome.CaseId, TestContext.Current.CancellationToken)).Receipt!;
        Assert.Equal((Handoff.Client.ExecutionOutcome.Failed, "issue_refund needs 'orderId', which the approved call does not give."), (receipt.Outcome, receipt.Reason));
    }

    [Fact]
    public async Task Handle_EditThatDropsTheAmount_IsWordedAsAFullRefund()
    {
        await using var harness = await AgentHarness.StartAsync();
        var (pending, outcome) = await harness.HandleWithPersonAsync("Refund order B-11872 please, the €1,450 machine is broken.", new { verdict = "edit", arguments = new { orderId = "B-11872" } });

        Assert.Equal("get_refund", (string?)pending["facts"]!["intent"]);

        Assert.Equal("""{"orderId":"B-11872"}""", outcome.Ran!.Arguments!.ToJsonString());
        Assert.Contains("I've issued your refund for order B-11872", outcome.Sent, StringComparison.Ordinal);
        Assert.DoesNotContain("1,450", outcome.Sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_EditedText_IsSentAsThePersonWroteIt()
    {
        await using var harness = await AgentHarness.StartAsync();
        var (pending, outcome) = await harness.HandleWithPersonAsync("Refund order B-11872 please, the €1,450 machine is broken.", new { verdict = "edit", text = "Refunding 900 now; the rest once the machine is back.", arguments = new { orderId = "B-11872", amount = 900 } });

        Assert.Equal("get_refund", (string?)pending["facts"]!["intent"]);

        Assert.Equal("Refunding 900 now; the rest once the machine is back.", outcome.Sent);
    }

    [Fact]
    public async Task Resume_AfterTheAgentStopped_ActsOnTheDecisionWithNothingLost()
    {
        await using var harness = await AgentHarness.StartAsync();
        var conversation = AgentHarness.Conversation("The espresso machine from order B-11872 arrived cracked. I want my €1,450 back.");
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var first = harness.Agent.HandleAsync(conversation, stopped.Token);
        var pending = await harness.PendingCaseAsync();
        await stopped.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        var resuming = harness.NewAgent().ResumeAsync((string)pending["id"]!, TestContext.Current.CancellationToken);
        await harness.DecideAsync(pending, new { verdict = "approve" });
        var outcome = await resuming;

        Assert.Equal(CaseStatus.Approved, outcome.Status);
        Assert.Equal("issue_refund", outcome.Ran!.Name);
        Assert.Equal(1450m, outcome.Ran.Arguments!["amount"]!.GetValue<decimal>());
        Assert.StartsWith("Hi Tom, I'm sorry about that. I've issued a refund of 1,450 EUR", outcome.Sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_HealthQuestion_ProposesAHandover_WithTheDraftAsAnOption()
    {
        await using var harness = await AgentHarness.StartAsync();
        var (pending, outcome) = await harness.HandleWithPersonAsync("Can I take your magnesium tablets together with ibuprofen?", new { verdict = "approve" });

        Assert.Equal("handoff", (string?)pending["kind"]);
        Assert.Equal("specialists", (string?)pending["team"]);
        Assert.Contains("doctor or pharmacist", (string?)pending["proposal"]!["text"], StringComparison.Ordinal);
        Assert.NotEmpty(pending["options"]!.AsArray());

        Assert.Null(outcome.Ran);
        Assert.Contains("doctor or pharmacist", outcome.Sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_ChosenOption_RunsTheAlternativeNotTheProposal()
    {
        await using var harness = await AgentHarness.StartAsync();
        var (pending, outcome) = await harness.HandleWithPersonAsync("Order A-20931 broke after a week, I want a refund of 89 EUR.", new { verdict = "choose", option = 0 });

        Assert.Equal("get_refund", (string?)pending["facts"]!["intent"]);
        Assert.Contains("Tom Becker, order A-20931, 89 EUR", (string?)pending["summary"], StringComparison.Ordinal);

        Assert.Equal("issue_store_credit", outcome.Ran!.Name);
        Assert.Equal(97.9m, outcome.Ran.Arguments!["amount"]!.GetValue<decimal>());
        Assert.Contains("store credit of 97.90 EUR", outcome.Sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_LegalThreat_GoesToSpecialists_AndTheCustomerGetsThePersonsAnswer()
    {
        await using var harness = await AgentHarness.StartAsync();
        var (pending, outcome) = await harness.HandleWithPersonAsync("Third late delivery of order A-30017. My lawyer says you owe me compensation.", new { verdict = "respond", text = "I'm so sorry. I've refunded your shipping and will call you today. — Rita" });

        Assert.Equal("specialists", (string?)pending["team"]);
        Assert.Equal("escalate", (string?)pending["outcome"]);

        Assert.Equal(CaseStatus.Responded, outcome.Status);
        Assert.Null(outcome.Ran);
        Assert.Equal("I'm so sorry. I've refunded your shipping and will call you today. — Rita", outcome.Sent);
    }

    [Fact]
    public async Task Handle_Rejected_DoesNothingButHoldTheCustomer()
    {
        await using var harness = await AgentHarness.StartAsync();
        var (pending, outcome) = await harness.HandleWithPersonAsync("Please delete my account and all my data, I'm done with you.", new { verdict = "reject", text = "Open order first: call him." });

        Assert.StartsWith("Delete an account: Tom Becker", (string?)pending["summary"], StringComparison.Ordinal);
        Assert.Contains(pending["reasons"]!.AsArray(), r => (string?)r!["rule"] == "irreversible");

        Assert.Equal(CaseStatus.Rejected, outcome.Status);
        Assert.Null(outcome.Ran);
        Assert.Equal(CustomerSupportAgent.HoldingMessage, outcome.Sent);
        Assert.DoesNotContain(harness.Shop.Effects, e => e.Call is not null);
    }

    [Fact]
    public async Task Handle_AskingForAPerson_IsHandedOverWhateverTheConfidence()
    {
        await using var harness = await AgentHarness.StartAsync();
        var (pending, outcome) = await harness.HandleWithPersonAsync("Where is order A-20931? Actually, let me talk to a real person please.", new { verdict = "approve" }, returning: true);

        Assert.Contains(pending["reasons"]!.AsArray(), r => (string?)r!["rule"] == "asks-for-person");
        Assert.Equal(true, (bool?)pending["facts"]!["asksForPerson"]);

        Assert.Equal(CaseStatus.Approved, outcome.Status);
        Assert.Equal(pending["proposal"]!["text"]!.GetValue<string>(), outcome.Sent);
    }

    [Fact]
    public async Task Handle_SameConversationTwice_IsOneCase()
    {
        await using var harness = await AgentHarness.StartAsync();
        var conversation = AgentHarness.Conversation("Which payment methods do you accept? Can I pay with PayPal or Klarna?");

        var first = await harness.Agent.HandleAsync(conversation, TestContext.Current.CancellationToken);
        var again = await harness.Agent.HandleAsync(conversation, TestContext.Current.CancellationToken);

        Assert.Equal(first.CaseId, again.CaseId);
    }
}
