using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary>
/// The audit vocabulary every backend writes: action names and the JSON <see cref="Core.Audit.AuditEntry.Data"/> of
/// each, so that logs from different backends read alike.
/// </summary>
internal static class AuditData
{
    public const string WorkspaceCreated = "workspace.created";
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string PolicyPublished = "policy.published";
    public const string AutonomyChanged = "autonomy.changed";
    public const string CaseCreated = "case.created";
    public const string CaseClaimed = "case.claimed";
    public const string CaseReleased = "case.released";
    public const string CaseDecided = "case.decided";
    public const string CaseExpired = "case.expired";
    public const string CaseOffered = "case.offered";
    public const string CaseAccepted = "case.accepted";
    public const string CaseDeclined = "case.declined";
    public const string CaseOfferLapsed = "case.offerLapsed";
    public const string CaseLiveFallback = "case.liveFallback";

    /// <summary>A supervisor gave a case to a person.</summary>
    public const string CaseReassigned = "case.reassigned";

    /// <summary>A case handed on to a colleague or to another team.</summary>
    public const string CaseTransferred = "case.transferred";

    /// <summary>One approval of a case that needs several; the case stays open for the next approver.</summary>
    public const string CaseApproval = "case.approval";
    public const string CaseTakenOver = "case.takenOver";
    public const string CaseMessage = "case.message";
    public const string CaseHandedBack = "case.handedBack";

    /// <summary>A person checked a case approved without one (the QA queue).</summary>
    public const string CaseQaChecked = "case.qaChecked";

    /// <summary>The agent ran an approved case's result (its receipt); <c>mismatch</c> when what ran is not what was approved.</summary>
    public const string CaseExecuted = "case.executed";

    /// <summary>The agent could not run an approved case's result (its receipt, with the reason).</summary>
    public const string CaseExecutionFailed = "case.executionFailed";

    /// <summary>A waiting case used its SLA's warning share.</summary>
    public const string CaseSlaWarning = "case.slaWarning";

    /// <summary>A waiting case fell due.</summary>
    public const string CaseSlaBreached = "case.slaBreached";

    /// <summary>A rung of the breach ladder fired (a <c>timeout</c> rung is logged as <see cref="CaseExpired"/>, with <c>slaStep</c>).</summary>
    public const string CaseSlaStep = "case.slaStep";
    public const string UserAdded = "user.added";
    public const string UserChanged = "user.changed";
    public const string TeamAdded = "team.added";
    public const string TeamChanged = "team.changed";
    public const string TeamRemoved = "team.removed";
    public const string RoutingChanged = "routing.changed";
    public const string PresenceChanged = "presence.changed";

    /// <summary>Written by the account lock-out that per-address sign-in limits replaced; older chains still hold it.</summary>
    public const string UserLocked = "user.locked";

    public const string WebhookAdded = "webhook.added";
    public const string WebhookChanged = "webhook.changed";
    public const string WebhookRemoved = "webhook.removed";
    /// <summary>Handoff stopped posting to an endpoint: 410 Gone, or failing for days. By the system actor; admins are told.</summary>
    public const string WebhookDisabled = "webhook.disabled";
    /// <summary>An integration's settings changed (Slack, Teams, the callback secret); its secrets never enter the log.</summary>
    public const string IntegrationChanged = "integration.changed";
    /// <summary>An operator sent failed deliveries again.</summary>
    public const string DeliveriesReplayed = "deliveries.replayed";

    /// <summary>Case actions share this prefix, which is how a case's history is told apart from other subjects.</summary>
    public const string CasePrefix = "case.";

    public static string Workspace(string name) => Json(new { name });

    public static string Receipt(HandoffCase c) => Json(new
    {
        outcome = c.Receipt!.Outcome,
        resultDigest = c.Receipt.ResultDigest,
        approvedDigest = c.Decision?.ResultDigest,
        mismatch = c.Receipt.Mismatch,
        reason = c.Receipt.Reason,
    });

    public static string QaChecked(Core.Learning.QaReview qa) => Json(new { agreed = qa.Agreed, note = qa.Note });

    public static string Key(string name, ApiKeyRole role) => Json(new { name, role });

    public static string Empty() => "{}";

    public static string Policy(int version) => Json(new { version });

    public static string Autonomy(bool enabled, string? reason) => Json(new { enabled, reason });

    public static string Created(HandoffCase c) => Json(new
    {
        status = c.Status,
        outcome = c.Evaluation.Outcome,
        reasons = c.Evaluation.Reasons,
        team = c.Evaluation.Team,
        policyVersion = c.Evaluation.PolicyVersion,
        // What was proposed and, for a policy decision, what was let through: the chain then vouches for both.
        proposalDigest = c.Decision?.ProposalDigest ?? ProposalDigest.Compute(c.Content.Proposal),
        resultDigest = c.Decision?.ResultDigest,
    });

    public static string Assignment(HandoffCase c) => Json(new { status = c.Status });

    /// <summary>
    /// A case taken as "next case": a claim by <paramref name="holder"/> (so the log replays it as one), marked
    /// <c>next</c>, naming who asked when it was not the holder (an API key asking for a person).
    /// </summary>
    public static string NextCase(HandoffCase c, Actor holder, Actor by) => Json(new
    {
        status = c.Status,
        next = true,
        requestedBy = by.Id == holder.Id && by.Kind == holder.Kind ? null : new { by.Kind, by.Id, by.Name },
    });

    /// <summary>A release the system made for <paramref name="holder"/>, unseen for <paramref name="idleTimeout"/>.</summary>
    public static string ReleasedFor(HandoffCase c, Actor holder, TimeSpan idleTimeout) => Json(new
    {
        status = c.Status,
        heldBy = new { holder.Kind, holder.Id, holder.Name },
        reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The holder was not seen for {idleTimeout.TotalSeconds:0} s, the idle-claim timeout."),
        idleTimeoutSeconds = idleTimeout.TotalSeconds,
    });

    public static string Decided(Decision d) => Json(new
    {
        verdict = d.Verdict,
        option = d.Option,
        text = d.Text,
        note = d.Note,
        changes = d.Changes,
        proposalDigest = d.ProposalDigest,
        resultDigest = d.ResultDigest,
        timedOut = d.TimedOut,
    });

    /// <summary>The approval just added to <paramref name="c"/> (its last), how many it has and how many it needs.</summary>
    public static string Approval(HandoffCase c)
    {
        var approval = c.Approvals![^1];
        return Json(new
        {
            status = c.Status,
            verdict = approval.Verdict,
            approvals = c.Approvals.Count,
            needed = CaseTransitions.ApprovalsNeeded(c),
            note = approval.Note,
            changes = approval.Changes,
            proposalDigest = approval.ProposalDigest,
            resultDigest = approval.ResultDigest,
        });
    }

    /// <summary>The offer on <paramref name="c"/>: to whom, until when, and whether live.</summary>
    public static string Offered(HandoffCase c) => Json(new
    {
        to = c.Offer is { } o ? new { o.To.Kind, o.To.Id, o.To.Name } : null,
        expiresAt = c.Offer?.ExpiresAt,
        live = c.Offer?.Live,
        passedOver = c.PassedOver,
    });

    /// <summary>
    /// A case handed on: its status after, who held it before (<c>from</c>, absent when nobody did), the person it went to
    /// (<c>to</c>) or the team it left and joined (<c>fromTeam</c>, <c>toTeam</c>), and the note.
    /// </summary>
    public static string Handover(HandoffCase before, HandoffCase after, string? note)
    {
        var teamChanged = before.Evaluation.Team != after.Evaluation.Team;
        return Json(new
        {
            status = after.Status,
            from = before.AssignedTo is { } f ? new { f.Kind, f.Id, f.Name } : null,
            to = !teamChanged && after.AssignedTo is { } t ? new { t.Kind, t.Id, t.Name } : null,
            fromTeam = teamChanged ? before.Evaluation.Team : null,
            toTeam = teamChanged ? after.Evaluation.Team : null,
            note,
        });
    }

    /// <summary>A live case fell back to the queue; what the agent may tell the customer about the wait.</summary>
    public static string LiveFallback(TimeSpan? expectedWait, string basis) =>
        Json(new { status = "queued", expectedWaitSeconds = expectedWait is { } w ? (long?)Math.Ceiling(w.TotalSeconds) : null, basis });

    public static string Expired(TimeoutEffect effect, Decision? decision) =>
        Json(new { effect, verdict = decision?.Verdict, proposalDigest = decision?.ProposalDigest, resultDigest = decision?.ResultDigest });

    /// <summary>
    /// A message of the transcript: its number, role and the SHA-256 of its text, not the text. The chain is kept
    /// forever and cannot be edited, while what a customer wrote may have to be erased from the case one day; the
    /// digest still lets a verification vouch for every message the case holds.
    /// </summary>
    public static string Message(Core.Cases.CaseMessage m) => Json(new { number = m.Number, role = m.Role, textDigest = TextDigest(m.Text) });

    /// <summary>The handback: the person's note is the decision's text, as a reject's reason or a response is.</summary>
    public static string HandedBack(HandoffCase c) => Json(new
    {
        status = c.Status,
        verdict = c.Decision?.Verdict,
        text = c.Decision?.Text,
        proposalDigest = c.Decision?.ProposalDigest,
    });

    /// <summary>Lowercase hex SHA-256 of the text's UTF-8 bytes.</summary>
    public static string TextDigest(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>The breach ladder's <c>timeout</c> rung: an expiry, marked as the ladder's.</summary>
    public static string ExpiredBySla(TimeoutEffect effect, Decision? decision) => Json(new
    {
        effect,
        verdict = decision?.Verdict,
        proposalDigest = decision?.ProposalDigest,
        resultDigest = decision?.ResultDigest,
        slaStep = Core.Policy.BreachAction.Timeout,
    });

    public static string SlaWarning(CaseSla sla) => Json(new { warnAt = sla.WarnAt, dueAt = sla.DueAt });

    public static string SlaBreached(CaseSla sla) => Json(new { dueAt = sla.DueAt });

    /// <summary>
    /// A ladder rung and the state it left the case in (status, priority, team, assignee: what the replay checks), with
    /// the team it came from for an overflow and why it changed nothing when it did not.
    /// </summary>
    public static string SlaStep(Core.Routing.SlaEvent e) => Json(new
    {
        step = e.Action,
        status = e.After.Status,
        priority = e.After.Evaluation.Priority,
        team = e.After.Evaluation.Team,
        fromTeam = e.After.Evaluation.Team != e.Before.Evaluation.Team ? e.Before.Evaluation.Team : null,
        assignee = e.After.AssignedTo?.Id,
        skipped = e.Skipped,
    });

    // The password hash never enters the log: the chain is kept forever and read by auditors, and a hash is a secret.
    public static string Account(User user) => Json(new
    {
        email = user.Email,
        name = user.Name,
        role = user.Role,
        teams = user.Teams,
        skills = user.Skills,
        languages = user.Languages,
        capacity = user.Capacity,
    });

    /// <summary>Names the changed fields (<c>password</c> among them, never its hash) and the new values of the others.</summary>
    public static string AccountChange(IReadOnlyList<string> changed, User after) => Json(new
    {
        changed,
        name = changed.Contains("name") ? after.Name : null,
        role = changed.Contains("role") ? after.Role : (UserRole?)null,
        teams = changed.Contains("teams") ? after.Teams : null,
        disabled = changed.Contains("disabled") ? after.DisabledAt is not null : (bool?)null,
        skills = changed.Contains("skills") ? after.Skills : null,
        languages = changed.Contains("languages") ? after.Languages : null,
        capacity = changed.Contains("capacity") ? after.Capacity : (int?)null,
        notifications = changed.Contains("notifications") ? after.Notifications : null,
    });

    /// <summary>Every setting of a team as added; durations in seconds.</summary>
    public static string TeamSettings(Team team) => Json(new
    {
        displayName = team.DisplayName,
        mode = team.Mode,
        workingHours = team.WorkingHours,
        acceptTimeoutSeconds = team.AcceptTimeout.TotalSeconds,
        idleClaimTimeoutSeconds = team.IdleClaimTimeout?.TotalSeconds,
        overflowTeam = team.OverflowTeam,
        supervisorId = team.SupervisorId,
    });

    /// <summary>
    /// Names the changed settings and gives their new values; a setting cleared (no overflow team any more) is named in
    /// <c>changed</c> and absent from the values, since nulls are left out.
    /// </summary>
    public static string TeamChange(IReadOnlyList<string> changed, Team after) => Json(new
    {
        changed,
        displayName = changed.Contains("displayName") ? after.DisplayName : null,
        mode = changed.Contains("mode") ? after.Mode : (Core.Routing.AssignmentMode?)null,
        workingHours = changed.Contains("workingHours") ? after.WorkingHours : null,
        acceptTimeoutSeconds = changed.Contains("acceptTimeout") ? after.AcceptTimeout.TotalSeconds : (double?)null,
        idleClaimTimeoutSeconds = changed.Contains("idleClaimTimeout") ? after.IdleClaimTimeout?.TotalSeconds : null,
        overflowTeam = changed.Contains("overflowTeam") ? after.OverflowTeam : null,
        supervisorId = changed.Contains("supervisorId") ? after.SupervisorId : null,
    });

    /// <summary>A removed team and the people whose team lists lost it in the same transaction.</summary>
    public static string TeamRemoval(IReadOnlyList<string> removedFrom) => Json(new { removedFrom });

    public static string Routing(RoutingSettings settings) => Json(new
    {
        queuedWeight = settings.QueuedWeight,
        liveWeight = settings.LiveWeight,
        awayAfterSeconds = settings.AwayAfter.TotalSeconds,
    });

    public static string Presence(Core.Routing.Presence presence, Core.Routing.Presence previous) => Json(new { presence, previous });

    // The secrets never enter the log: it is kept forever and read by auditors.
    public static string Webhook(Outbox.WebhookEndpoint endpoint) => Json(new
    {
        url = endpoint.Url,
        description = endpoint.Description,
        eventTypes = endpoint.EventTypes,
        secrets = endpoint.Secrets.Count,
        disabled = endpoint.DisabledAt is not null,
    });

    public static string WebhookDisabledBy(string url, string reason) => Json(new { url, reason });

    public static string Integration(string kind, string summary) => Json(new { kind, summary });

    public static string Replayed(int count, string? channel, string? target, string? deliveryId, DateTimeOffset? since) =>
        Json(new { count, channel, target, deliveryId, since });

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, HandoffJson.Options);
}
