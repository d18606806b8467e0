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
    public const string CaseTakenOver = "case.takenOver";
    public const string CaseMessage = "case.message";
    public const string CaseHandedBack = "case.handedBack";
    public const string UserAdded = "user.added";
    public const string UserChanged = "user.changed";

    /// <summary>Written by the account lock-out that per-address sign-in limits replaced; older chains still hold it.</summary>
    public const string UserLocked = "user.locked";

    /// <summary>Case actions share this prefix, which is how a case's history is told apart from other subjects.</summary>
    public const string CasePrefix = "case.";

    public static string Workspace(string name) => Json(new { name });

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

    /// <summary>A release the system made for <paramref name="holder"/>, and why.</summary>
    public static string ReleasedFor(HandoffCase c, Actor holder, string reason) =>
        Json(new { status = c.Status, heldBy = new { holder.Kind, holder.Id, holder.Name }, reason });

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

    // The password hash never enters the log: the chain is kept forever and read by auditors, and a hash is a secret.
    public static string Account(User user) => Json(new { email = user.Email, name = user.Name, role = user.Role, teams = user.Teams });

    /// <summary>Names the changed fields (<c>password</c> among them, never its hash) and the new values of the others.</summary>
    public static string AccountChange(IReadOnlyList<string> changed, User after) => Json(new
    {
        changed,
        name = changed.Contains("name") ? after.Name : null,
        role = changed.Contains("role") ? after.Role : (UserRole?)null,
        teams = changed.Contains("teams") ? after.Teams : null,
        disabled = changed.Contains("disabled") ? after.DisabledAt is not null : (bool?)null,
    });


    private static string Json<T>(T value) => JsonSerializer.Serialize(value, HandoffJson.Options);
}
