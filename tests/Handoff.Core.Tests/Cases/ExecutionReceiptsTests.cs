using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Cases;

public sealed class ExecutionReceiptsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Bot = new("agent", "key_bot", "bot");

    private static HandoffCase Case(CaseStatus status, string? resultDigest) => new()
    {
        Id = "cs_1",
        WorkspaceId = "ws",
        Content = new CaseContent { Kind = CaseKind.Action, Summary = "Refund", Proposal = new Proposal("Refunded.", null, 0.9) },
        Evaluation = new Evaluation(Outcome.Review, [], "support", Priority.Normal, 0.8, 1),
        Status = status,
        CreatedAt = Start,
        Decision = status is CaseStatus.Pending ? null : new Decision
        {
            Verdict = status == CaseStatus.Approved ? Verdict.Approve : Verdict.Reject,
            ProposalDigest = new string('a', 64),
            ResultDigest = resultDigest,
            DecidedAt = Start.AddMinutes(5),
        },
    };

    private static ExecutionReceipt Receipt(ExecutionOutcome outcome, string? digest) => new() { Outcome = outcome, ResultDigest = digest, At = Start.AddMinutes(9), By = Bot };

    [Fact]
    public void AnApprovedCase_TakesOneReceipt_AndAWrongDigestIsAMismatch()
    {
        var approved = Case(CaseStatus.Approved, new string('b', 64));

        var right = ExecutionReceipts.Apply(approved, Receipt(ExecutionOutcome.Executed, new string('b', 64)));
        var wrong = ExecutionReceipts.Apply(approved, Receipt(ExecutionOutcome.Executed, new string('c', 64)));
        var failed = ExecutionReceipts.Apply(approved, Receipt(ExecutionOutcome.Failed, null) with { Reason = "down" });

        Assert.False(right!.Receipt!.Mismatch);
        Assert.True(wrong!.Receipt!.Mismatch);
        Assert.False(failed!.Receipt!.Mismatch);
        Assert.Equal(Start.AddMinutes(9), right.UpdatedAt);
        Assert.Null(ExecutionReceipts.Apply(right, Receipt(ExecutionOutcome.Executed, new string('b', 64))));
        Assert.Equal("The case already has its receipt (executed); a case takes one.", ExecutionReceipts.Refusal(right));
    }

    [Theory]
    [InlineData(CaseStatus.Pending, null)]
    [InlineData(CaseStatus.Rejected, null)]
    [InlineData(CaseStatus.Approved, null)]
    public void ACaseWithNoApprovedResult_TakesNone(CaseStatus status, string? digest)
    {
        var c = Case(status, digest);

        Assert.Null(ExecutionReceipts.Apply(c, Receipt(ExecutionOutcome.Executed, new string('b', 64))));
        Assert.Contains("there is nothing to execute", ExecutionReceipts.Refusal(c), StringComparison.Ordinal);
        Assert.Null(ExecutionReceipts.AwaitingSince(c, Start.AddHours(1)));
    }

    [Fact]
    public void OnlyTheSubmittingKey_OrAnAdmin_SendsTheReceipt()
    {
        var c = Case(CaseStatus.Approved, new string('b', 64)) with { SubmittedBy = Bot };

        Assert.Null(ExecutionReceipts.NotTheirs(c, Bot, admin: false));
        Assert.Null(ExecutionReceipts.NotTheirs(c, new Actor("admin", "key_ada", "Ada"), admin: true));
        Assert.Equal("Only the agent that submitted the case (bot) sends its receipt, or an admin key.",
            ExecutionReceipts.NotTheirs(c, new Actor("agent", "key_other", "other bot"), admin: false));
    }

    [Fact]
    public void AwaitingSince_CountsFromTheDecision_UntilTheReceipt()
    {
        var approved = Case(CaseStatus.Approved, new string('b', 64));

        Assert.Equal(TimeSpan.FromMinutes(55), ExecutionReceipts.AwaitingSince(approved, Start.AddHours(1)));
        Assert.Null(ExecutionReceipts.AwaitingSince(ExecutionReceipts.Apply(approved, Receipt(ExecutionOutcome.Failed, null))!, Start.AddHours(1)));
    }
}
