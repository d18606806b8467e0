using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task DecideCase_NeedingTwoApprovals_StaysOpenAfterTheFirstAndClosesOnTheSecondPersons()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NeedingApprovals(workspace.Id, 2));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Rita, Start, Ct);

        var first = await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Rita, Start.AddMinutes(1)), CaseStatus.Approved, Ct);
        var again = await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Rita, Start.AddMinutes(2)), CaseStatus.Approved, Ct);
        var second = await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Sam, Start.AddMinutes(3)), CaseStatus.Approved, Ct);

        Assert.Equal((CaseUpdateStatus.Updated, CaseStatus.Pending), (first.Status, first.Case!.Status));
        Assert.Null(first.Case.AssignedTo);
        Assert.Null(first.Case.Decision);
        Assert.Equal(CaseUpdateStatus.Conflict, again.Status);
        Assert.Equal((CaseUpdateStatus.Updated, CaseStatus.Approved), (second.Status, second.Case!.Status));
        Assert.Equal(Sam, second.Case.Decision!.DecidedBy);
        Assert.Equal([Rita.Id, Sam.Id], second.Case.Approvals!.Select(static a => a.DecidedBy!.Id));
        AssertSameCase(second.Case, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal([AuditData.CaseCreated, AuditData.CaseClaimed, AuditData.CaseApproval, AuditData.CaseDecided], history.Select(static e => e.Action));
        using var approval = JsonDocument.Parse(history[2].Data);
        Assert.Equal(1, approval.RootElement.GetProperty("approvals").GetInt32());
        Assert.Equal(2, approval.RootElement.GetProperty("needed").GetInt32());
        Assert.Equal("pending", approval.RootElement.GetProperty("status").GetString());

        // The log replays to the stored case: an approval short of the count is not a decision.
        var replay = new CaseAuditReplay();
        foreach (var entry in history)
        {
            Assert.Null(replay.Add(entry));
        }

        Assert.Empty(replay.Compare((await store.GetCaseAsync(workspace.Id, created.Id, Ct))!));
    }

    /// <summary>
    /// Found by the routing property: the first of two approvals on a conversation taken over sent it back to the queue
    /// as pending, where a release sends it back escalated so that the next person sees a customer is waiting.
    /// </summary>
    [Fact]
    public virtual async Task DecideCase_FirstOfTwoApprovalsOnATakenOverConversation_GoesBackEscalated()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NeedingApprovals(workspace.Id, 2));
        await store.TakeOverCaseAsync(workspace.Id, created.Id, Rita, Start, Ct);
        await store.AddCaseMessageAsync(workspace.Id, created.Id, CaseMessageRole.Person, "Rita here.", Rita, Start.AddSeconds(5), Ct);

        var first = await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Rita, Start.AddMinutes(1)), CaseStatus.Approved, Ct);

        Assert.Equal((CaseUpdateStatus.Updated, CaseStatus.Escalated), (first.Status, first.Case!.Status));
        Assert.Null(first.Case.AssignedTo);
        Assert.Single(first.Case.Transcript!);
        AssertSameCase(first.Case, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        AssertReplays(await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct), first.Case);
    }

    [Fact]
    public virtual async Task DecideCase_NeedingTwoApprovals_AnyRejectEndsItAtOnce()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NeedingApprovals(workspace.Id, 2));
        await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Rita, Start.AddMinutes(1)), CaseStatus.Approved, Ct);

        var rejected = await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Sam, Start.AddMinutes(2), Verdict.Reject), CaseStatus.Rejected, Ct);

        Assert.Equal((CaseUpdateStatus.Updated, CaseStatus.Rejected), (rejected.Status, rejected.Case!.Status));
        Assert.Equal(Verdict.Reject, rejected.Case.Decision!.Verdict);
        Assert.Equal(CaseUpdateStatus.Conflict, (await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Alice, Start.AddMinutes(3)), CaseStatus.Approved, Ct)).Status);
    }

    [Fact]
    public virtual async Task DecideCase_ManyPeopleApprovingAtOnce_RecordsExactlyTheNeededDistinctApprovals()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NeedingApprovals(workspace.Id, 3));
        var people = Enumerable.Range(0, 8).Select(static i => new Actor(Actor.UserKind, $"u_{i}", $"Person {i}")).ToArray();

        var results = await Task.WhenAll(people.Select(p => store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(p, Start.AddMinutes(1)), CaseStatus.Approved, Ct)));

        Assert.Equal(3, results.Count(static r => r.Status == CaseUpdateStatus.Updated));
        var stored = (await store.GetCaseAsync(workspace.Id, created.Id, Ct))!;
        Assert.Equal(CaseStatus.Approved, stored.Status);
        Assert.Equal(3, stored.Approvals!.Select(static a => a.DecidedBy!.Id).Distinct().Count());
    }

    private HandoffCase NeedingApprovals(string workspaceId, int count)
    {
        var c = NewCase(workspaceId);
        return c with
        {
            Evaluation = c.Evaluation with
            {
                Routing = new RoutingRequirements(["refunds"], "en", HandoffMode.Queue, TimeSpan.FromHours(4), 0.8, [], TimeSpan.FromMinutes(1), new ApprovalRule(count, null)),
            },
        };
    }
}
