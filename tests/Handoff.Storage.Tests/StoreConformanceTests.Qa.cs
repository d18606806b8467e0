using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;

namespace Handoff.Storage.Tests;

/// <summary>The QA queue of approvals made without a person: filled at submission, checked once, counted.</summary>
public abstract partial class StoreConformanceTests
{
    private HandoffCase Approved(string workspaceId, GateJudgement? learned) => NewCase(workspaceId, status: CaseStatus.Approved) with
    {
        Decision = DecisionBy(new Actor(Actor.PolicyKind, "learned-gate-v1", "Learned gate"), Start),
        Evaluation = new Evaluation(Outcome.Auto, [new Reason("low-confidence", "Confidence 0.62 is below the floor 0.8.", Outcome.Review)], "support", Priority.Normal, 0.8, 1)
        {
            Learned = learned,
        },
    };

    [Fact]
    public virtual async Task Qa_ApprovalsDrawnForQa_WaitInTheQueue_OldestFirst_PerWorkspace()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var learned = await CreateAsync(store, Approved(workspace.Id, new GateJudgement(0.99, 0.9, Approved: true, Sample: true)));
        Time.Advance(TimeSpan.FromSeconds(1));
        var auto = await CreateAsync(store, Approved(workspace.Id, new GateJudgement(null, null, Approved: false, Sample: true)));
        await CreateAsync(store, Approved(workspace.Id, new GateJudgement(0.99, 0.9, Approved: true, Sample: false)));
        await CreateAsync(store, Approved(workspace.Id, null));
        // Held back for a person: a drawn case is calibration, not QA.
        await CreateAsync(store, NewCase(workspace.Id) with { Evaluation = NewCase(workspace.Id).Evaluation with { Learned = new GateJudgement(0.2, 0.9, false, true) } });
        await CreateAsync(store, Approved(other.Id, new GateJudgement(0.99, 0.9, Approved: true, Sample: true)));

        var waiting = await store.ListQaCasesAsync(workspace.Id, 10, Ct);

        Assert.Equal([learned.Id, auto.Id], waiting.Select(static c => c.Id));
        Assert.Equal(new Learning.QaTally(0, 0, 1), await store.CountQaAsync(workspace.Id, "learned", Start, Ct));
        Assert.Equal(new Learning.QaTally(0, 0, 1), await store.CountQaAsync(workspace.Id, "auto", Start, Ct));
        Assert.Equal(new Learning.QaTally(0, 0, 0), await store.CountQaAsync(workspace.Id, "learned", Start.AddHours(1), Ct));
    }

    [Fact]
    public virtual async Task Qa_ACheck_IsRecordedOnce_Audited_AndEntersTheLedgerAsPartOfTheSample()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var agreed = await CreateAsync(store, Approved(workspace.Id, new GateJudgement(0.99, 0.9, Approved: true, Sample: true)));
        var disagreed = await CreateAsync(store, Approved(workspace.Id, new GateJudgement(0.95, 0.9, Approved: true, Sample: true)));
        var check = new QaReview(false, Alice, Start.AddMinutes(3), "The order was already refunded.");

        var first = await store.CheckQaAsync(workspace.Id, disagreed.Id, check, Ct);
        var again = await store.CheckQaAsync(workspace.Id, disagreed.Id, check with { Agreed = true }, Ct);
        await store.CheckQaAsync(workspace.Id, agreed.Id, new QaReview(true, Alice, Start.AddMinutes(4), null), Ct);

        Assert.Equal(CaseUpdateStatus.Updated, first.Status);
        Assert.Equal(check, first.Case!.Qa);
        Assert.Equal(CaseUpdateStatus.Conflict, again.Status);
        Assert.Equal(check, (await store.GetCaseAsync(workspace.Id, disagreed.Id, Ct))!.Qa);
        Assert.Empty(await store.ListQaCasesAsync(workspace.Id, 10, Ct));
        Assert.Equal(new Learning.QaTally(2, 1, 0), await store.CountQaAsync(workspace.Id, "learned", Start, Ct));
        var ledger = (await store.ListDecisionsAsync(workspace.Id, Start, cancellationToken: Ct)).Records.OrderBy(static r => r.DecidedAt).ToList();
        Assert.Equal([(disagreed.Id, Verdict.Reject, true), (agreed.Id, Verdict.Approve, true)], ledger.Select(static r => (r.CaseId, r.Verdict, r.Sample)));
        Assert.Contains(await store.GetCaseHistoryAsync(workspace.Id, disagreed.Id, Ct), static e => e.Action == "case.qaChecked" && e.Data.Contains("already refunded", StringComparison.Ordinal));
    }

    [Fact]
    public virtual async Task Qa_ACaseNotInTheQueue_OrOfAnotherWorkspace_IsNotFound()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var notDrawn = await CreateAsync(store, Approved(workspace.Id, null));
        var drawn = await CreateAsync(store, Approved(workspace.Id, new GateJudgement(0.99, 0.9, Approved: true, Sample: true)));
        var check = new QaReview(true, Alice, Start, null);

        Assert.Equal(CaseUpdateStatus.NotFound, (await store.CheckQaAsync(workspace.Id, notDrawn.Id, check, Ct)).Status);
        Assert.Equal(CaseUpdateStatus.NotFound, (await store.CheckQaAsync(other.Id, drawn.Id, check, Ct)).Status);
        Assert.Equal(CaseUpdateStatus.NotFound, (await store.CheckQaAsync(workspace.Id, "case_nope", check, Ct)).Status);
        Assert.Null((await store.GetCaseAsync(workspace.Id, drawn.Id, Ct))!.Qa);
    }

    [Fact]
    public virtual async Task Decisions_HeldBackCasesNotDrawn_AreOutsideTheSample()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var template = NewCase(workspace.Id);
        var held = await CreateAsync(store, template with { Evaluation = template.Evaluation with { Learned = new GateJudgement(0.3, 0.9, false, Sample: false) } });

        await store.DecideCaseAsync(workspace.Id, held.Id, DecisionBy(Alice, Start.AddMinutes(1)), CaseStatus.Approved, Ct);

        Assert.False(Assert.Single((await store.ListDecisionsAsync(workspace.Id, Start, cancellationToken: Ct)).Records).Sample);
    }
}
