using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Learning;

/// <summary>Replaying past cases under a candidate policy: what changes, whose work, and the errors it lets through.</summary>
public sealed class PolicyReplayTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Person = new("user", "usr_rita", "Rita");

    // The candidate raises the high-value threshold from 1,000 to 2,000: refunds between the two go through alone.
    private static readonly CompiledPolicy Candidate = PolicyCompiler.Compile(BuiltInPolicy.Yaml.Replace("gt: 1000", "gt: 2000", StringComparison.Ordinal)).Policy!;
    private static readonly CompiledPolicy Current = PolicyCompiler.Compile(BuiltInPolicy.Yaml).Policy!;

    [Fact]
    public void Run_CountsWhatChanges_TheWorkItSaves_AndTheErrorsItWouldLetThrough()
    {
        var cases = new[]
        {
            Case(1500, Verdict.Approve),
            Case(1200, Verdict.Approve),
            Case(1800, Verdict.Reject),
            Case(1100, null),
            Case(2500, Verdict.Approve),
            Case(300, null),
        };

        var report = PolicyReplay.Run(Candidate, cases);

        Assert.Equal((6, 4), (report.Cases, report.Changed));
        Assert.Equal([new OutcomeChange(Outcome.Review, Outcome.Auto, 4)], report.Changes);
        Assert.Equal((4, 3, 1), (report.NewlyAutomated, report.NewlyAutomatedDecided, report.LetThrough));
        Assert.Equal(0, report.NewlyHeld);
        Assert.Equal([new TeamWorkload("sales", 5, 1)], report.Workload);
        var error = Assert.Single(report.Errors);
        Assert.Equal((Verdict.Reject, Outcome.Review, Outcome.Auto, "support"), (error.Verdict, error.Before, error.After, error.TeamAfter));
        Assert.Equal(3, report.Examples.Count);
        Assert.InRange(report.ErrorRate.Lower, 0.01, 1.0 / 3);
    }

    [Fact]
    public void Run_AHandbackIsNoJudgementOfTheProposal_AndABlockedCaseWasSeenByNobody()
    {
        var handedBack = Case(1500, Verdict.HandBack);
        var wasBlocked = Case(1200, null) with { Evaluation = Current.Evaluate(Case(1200, null).Content) with { Outcome = Outcome.Block } };

        var report = PolicyReplay.Run(Candidate, [handedBack, wasBlocked]);

        Assert.Equal((2, 1, 0, 0), (report.Changed, report.NewlyAutomated, report.NewlyAutomatedDecided, report.LetThrough));
        Assert.Null(PolicyReplay.Replay(Candidate, handedBack).Verdict);
    }

    [Fact]
    public void Run_UnderTheSamePolicy_ChangesNothing()
    {
        var report = PolicyReplay.Run(Current, [Case(1500, Verdict.Approve), Case(300, null)]);

        Assert.Equal((2, 0, 0, 0), (report.Cases, report.Changed, report.NewlyAutomated, report.LetThrough));
        Assert.Empty(report.Changes);
        Assert.Equal([new TeamWorkload("sales", 1, 1)], report.Workload);
    }

    [Fact]
    public void Run_ACandidateThatHoldsMore_CountsCasesNewlyHeld()
    {
        var stricter = PolicyCompiler.Compile(BuiltInPolicy.Yaml.Replace("gt: 1000", "gt: 100", StringComparison.Ordinal)).Policy!;

        var report = PolicyReplay.Run(stricter, [Case(300, null), Case(50, null)]);

        Assert.Equal((1, 0), (report.NewlyHeld, report.NewlyAutomated));
        Assert.Equal([new TeamWorkload("sales", 0, 1)], report.Workload);
    }

    private static HandoffCase Case(int amount, Verdict? verdict)
    {
        var content = new CaseContent
        {
            Kind = CaseKind.Action,
            Summary = $"Refund {amount}",
            Facts = JsonSerializer.SerializeToElement(new { amount }),
            Proposal = new Proposal("Refunded.", new ToolCall("issue_refund", default), 0.9),
        };
        var evaluation = Current.Evaluate(content);
        return new HandoffCase
        {
            Id = $"cs_{Guid.NewGuid():N}",
            WorkspaceId = "ws_1",
            Content = content,
            Evaluation = evaluation,
            Status = verdict is null ? (evaluation.Outcome == Outcome.Auto ? CaseStatus.Approved : CaseStatus.Pending) : CaseStatus.Approved,
            CreatedAt = At,
            Decision = verdict is { } v ? new Decision { Verdict = v, ProposalDigest = new string('a', 64), DecidedBy = Person, DecidedAt = At.AddMinutes(5) } : null,
        };
    }
}
