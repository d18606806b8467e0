using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Server.Api;
using Handoff.Server.Diagnostics;
using Handoff.Server.Events;
using Handoff.Server.Policies;
using Handoff.Storage;

namespace Handoff.Server.Cases;

/// <summary>The core loop: evaluate and store a submission; claim, release and decide; wake whoever waits.</summary>
internal sealed class CaseService(
    IHandoffStore store, PolicyService policies, CaseNotifier notifier, HandoffMetrics metrics, Routing.Router router, Learning.GateService gate, TimeProvider time)
{
    public async Task<CreateCaseResult> SubmitAsync(
        string workspaceId, SubmittedCase submitted, string? idempotencyKey, Actor agent, CancellationToken cancellationToken)
    {
        var workspacePolicy = await policies.GetAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var evaluation = workspacePolicy.Policy.Evaluate(submitted.Content, workspacePolicy.AutonomyEnabled);
        if (workspacePolicy.Policy.Learning is { Mode: not Core.Learning.LearningMode.Off } or { AutoQaSample: > 0 })
        {
            evaluation = gate.Judge(workspaceId, workspacePolicy.Policy, submitted.Content, evaluation, workspacePolicy.AutonomyEnabled);
        }

        var now = time.GetUtcNow();
        var decision = evaluation.Learned is { Approved: true }
            ? Decisions.ByLearnedGate(submitted.Content, evaluation.PolicyVersion, now)
            : Decisions.ByPolicy(submitted.Content, evaluation.Outcome, evaluation.PolicyVersion, now);
        var status = evaluation.Outcome switch
        {
            Core.Policy.Outcome.Auto => CaseStatus.Approved,
            Core.Policy.Outcome.Block => CaseStatus.Blocked,
            _ => CaseStatus.Pending,
        };

        var newCase = new HandoffCase
        {
            Id = "cs_" + Guid.CreateVersion7(now).ToString("N"),
            WorkspaceId = workspaceId,
            Content = submitted.Content,
            Evaluation = evaluation,
            Status = status,
            CreatedAt = now,
            UpdatedAt = now,
            // Only a case waiting for a person can run out of time.
            ExpiresAt = status == CaseStatus.Pending && submitted.ExpiresIn is { } ttl ? now + ttl : null,
            OnTimeout = submitted.OnTimeout,
            IdempotencyKey = idempotencyKey,
            CallbackUrl = submitted.CallbackUrl,
            SubmittedBy = agent,
            Decision = decision,
            Sla = status == CaseStatus.Pending ? await PlanSlaAsync(workspaceId, evaluation, now, cancellationToken).ConfigureAwait(false) : null,
        };
        if (status == CaseStatus.Pending && evaluation.Routing is { } routing && await LiveAsync(workspaceId, newCase, routing.Mode, cancellationToken).ConfigureAwait(false))
        {
            // The customer is on the line: the case rings, one person at a time, until its live wait ends.
            newCase = newCase with { LiveUntil = now + routing.LiveWait };
        }

        var result = await store.CreateCaseAsync(newCase, cancellationToken).ConfigureAwait(false);
        if (result.Created)
        {
            metrics.Submitted(evaluation.Outcome);
            // Only cases a person must see are news to the dashboards; the auto path stays free of it.
            if (status == CaseStatus.Pending)
            {
                notifier.Changed(workspaceId, newCase.Id);
            }
        }

        return result;
    }

    // Live when the policy says so; "either" when someone of the team is online with the skills and language now
    // (their capacity is checked when they accept; if nobody does, the case falls back to the queue anyway).
    private async Task<bool> LiveAsync(string workspaceId, HandoffCase newCase, Core.Policy.HandoffMode mode, CancellationToken cancellationToken) =>
        mode == Core.Policy.HandoffMode.Live
        || (mode == Core.Policy.HandoffMode.Either && await router.AnyoneOnlineAsync(workspaceId, newCase, cancellationToken).ConfigureAwait(false));

    // The due time counts the team's working hours; a team not in the store works around the clock. Only a case with
    // an SLA reads the team, so the auto path and cases without one cost no extra read.
    private async Task<CaseSla?> PlanSlaAsync(string workspaceId, Core.Policy.Evaluation evaluation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (evaluation.Routing?.Sla is null)
        {
            return null;
        }

        var team = await store.GetTeamAsync(workspaceId, evaluation.Team, cancellationToken).ConfigureAwait(false);
        return SlaLadder.Plan(evaluation.Routing, WorkingClock.For(team?.WorkingHours), now);
    }

    public Task<CaseUpdate> ClaimAsync(string workspaceId, string caseId, Actor reviewer, CancellationToken cancellationToken) =>
        NotifyAsync(store.ClaimCaseAsync(workspaceId, caseId, reviewer, time.GetUtcNow(), cancellationToken));

    public Task<CaseUpdate> ReleaseAsync(string workspaceId, string caseId, Actor reviewer, CancellationToken cancellationToken) =>
        NotifyAsync(store.ReleaseCaseAsync(workspaceId, caseId, reviewer, time.GetUtcNow(), cancellationToken));

    /// <summary>Decides, or returns the request's problems (<see cref="DecisionOutcome.Errors"/>) without touching the case.</summary>
    /// <remarks><paramref name="role"/> is the decider's role name, for cases whose policy asks for approvals by a role.</remarks>
    public async Task<(CaseUpdate? Update, DecisionOutcome? Invalid)> DecideAsync(
        string workspaceId, string caseId, DecisionRequest request, Actor reviewer, string role, CancellationToken cancellationToken)
    {
        var current = await store.GetCaseAsync(workspaceId, caseId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return (CaseUpdate.NotFound, null);
        }

        if (!current.Status.IsOpen())
        {
            return (new CaseUpdate(CaseUpdateStatus.Conflict, current), null);
        }

        var outcome = Decisions.Make(current, request, reviewer, time.GetUtcNow(), role);
        if (!outcome.Succeeded)
        {
            return (null, outcome);
        }

        // The store re-checks that the case is still open and not held by someone else: it is the one arbiter.
        var update = await NotifyAsync(store.DecideCaseAsync(workspaceId, caseId, outcome.Decision!, outcome.Status, cancellationToken)).ConfigureAwait(false);
        if (update.Status == CaseUpdateStatus.Updated)
        {
            metrics.Decided(outcome.Decision!.Verdict);
        }

        return (update, null);
    }

    /// <summary>A person takes the conversation over (see <see cref="CaseTransitions.TakeOver"/>); the agent's waits wake.</summary>
    public Task<CaseUpdate> TakeOverAsync(string workspaceId, string caseId, Actor person, CancellationToken cancellationToken) =>
        NotifyAsync(store.TakeOverCaseAsync(workspaceId, caseId, person, time.GetUtcNow(), cancellationToken));

    /// <summary>Adds a message to the transcript (see <see cref="CaseTransitions.AddMessage"/>); whoever waits for messages wakes.</summary>
    public Task<CaseUpdate> AddMessageAsync(string workspaceId, string caseId, CaseMessageRole role, string text, Actor by, CancellationToken cancellationToken) =>
        NotifyAsync(store.AddCaseMessageAsync(workspaceId, caseId, role, text, by, time.GetUtcNow(), cancellationToken));

    /// <summary>The owner hands the conversation back with a note; the agent's decision wait wakes with it.</summary>
    public async Task<CaseUpdate> HandBackAsync(string workspaceId, string caseId, Actor person, string note, CancellationToken cancellationToken)
    {
        var update = await NotifyAsync(store.HandBackCaseAsync(workspaceId, caseId, person, note, time.GetUtcNow(), cancellationToken)).ConfigureAwait(false);
        if (update.Status == CaseUpdateStatus.Updated)
        {
            metrics.Decided(Verdict.HandBack);
        }

        return update;
    }

    /// <summary>Records the agent's receipt for an approved case (audited; a mismatch reaches the admins through the outbox).</summary>
    public Task<CaseUpdate> RecordReceiptAsync(string workspaceId, string caseId, ExecutionReceipt receipt, CancellationToken cancellationToken) =>
        NotifyAsync(store.RecordReceiptAsync(workspaceId, caseId, receipt, cancellationToken));

    private async Task<CaseUpdate> NotifyAsync(Task<CaseUpdate> change)
    {
        var update = await change.ConfigureAwait(false);
        if (update is { Status: CaseUpdateStatus.Updated, Case: { } changed })
        {
            notifier.Changed(changed.WorkspaceId, changed.Id);
        }

        return update;
    }
}
