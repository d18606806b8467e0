using Handoff.Core.Audit;
using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary>
/// Everything Handoff keeps. Every method that changes state writes its audit entry in the same transaction, so a
/// change and its record commit together or not at all. All case methods are scoped to a workspace: an id from
/// another workspace behaves exactly like an id that does not exist.
/// Implementations are thread-safe and meant to be registered as singletons.
/// </summary>
public interface IHandoffStore
{
    /// <summary>Creates or upgrades the schema. Safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Optional abilities of this backend, so callers can ask rather than guess.</summary>
    bool Supports(StoreCapability capability);

    // --- workspaces and keys -------------------------------------------------------------------

    /// <summary>Returns the workspace with this name, creating it (audited) if it does not exist.</summary>
    Task<Workspace> EnsureWorkspaceAsync(string name, Actor actor, CancellationToken cancellationToken = default);

    Task<Workspace?> FindWorkspaceAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stores a new API key (only its hash) and audits it.</summary>
    Task<ApiKey> AddApiKeyAsync(NewApiKey key, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes a key of the workspace (audited as <c>key.revoked</c>); <see cref="FindApiKeyByHashAsync"/> no longer
    /// finds it. False when there is no such active key in the workspace.
    /// </summary>
    Task<bool> RevokeApiKeyAsync(string workspaceId, string keyId, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Finds an active (not revoked) key by the SHA-256 hash of its secret.</summary>
    Task<ApiKey?> FindApiKeyByHashAsync(string hash, CancellationToken cancellationToken = default);

    // --- policy and autonomy -------------------------------------------------------------------

    /// <summary>The given version of the workspace's policy, or the newest when <paramref name="version"/> is null.</summary>
    Task<StoredPolicy?> GetPolicyAsync(string workspaceId, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="source"/> as the next version (1 for the first) and audits it.</summary>
    Task<StoredPolicy> PublishPolicyAsync(string workspaceId, string source, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>The autonomy switch. A workspace never set is enabled.</summary>
    Task<AutonomyState> GetAutonomyAsync(string workspaceId, CancellationToken cancellationToken = default);

    Task<AutonomyState> SetAutonomyAsync(string workspaceId, bool enabled, string? reason, Actor actor, CancellationToken cancellationToken = default);

    // --- cases ---------------------------------------------------------------------------------

    /// <summary>
    /// Stores a new case with its evaluation (audited as <c>case.created</c>). When the case carries an idempotency
    /// key that the workspace has seen before, nothing is written and the earlier case comes back with
    /// <see cref="CreateCaseResult.Created"/> false — also when two such requests race.
    /// </summary>
    Task<CreateCaseResult> CreateCaseAsync(HandoffCase newCase, CancellationToken cancellationToken = default);

    Task<HandoffCase?> GetCaseAsync(string workspaceId, string caseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Newest first, keyset-paginated: pass the previous page's <see cref="CasePage.NextCursor"/>. The limit is clamped
    /// to 1..200; a cursor this store did not issue throws <see cref="ArgumentException"/>.
    /// </summary>
    Task<CasePage> ListCasesAsync(string workspaceId, CaseQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Assigns an open, unassigned case to <paramref name="actor"/>: a pending case becomes assigned, an escalated one
    /// stays escalated (with the assignee) so the queue still shows it was raised. Claiming one's own case again
    /// succeeds and changes nothing. A closed case or one held by someone else is a conflict.
    /// </summary>
    Task<CaseUpdate> ClaimCaseAsync(string workspaceId, string caseId, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a case the actor holds to the queue: pending again, or still escalated. Releasing a case one does not
    /// hold is a conflict.
    /// </summary>
    Task<CaseUpdate> ReleaseCaseAsync(string workspaceId, string caseId, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a person's decision on an open case that is unassigned or assigned to the deciding actor. Exactly one
    /// decision ever succeeds per case; every later one gets <see cref="CaseUpdateStatus.Conflict"/>.
    /// <paramref name="newStatus"/> must be a closed status (else <see cref="ArgumentOutOfRangeException"/>); the case
    /// keeps its assignee, loses its expiry, and its <see cref="HandoffCase.UpdatedAt"/> becomes the decision's time.
    /// </summary>
    Task<CaseUpdate> DecideCaseAsync(string workspaceId, string caseId, Decision decision, CaseStatus newStatus, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <c>onTimeout</c> to up to <paramref name="max"/> open cases whose expiry is at or before
    /// <paramref name="now"/>: approve and reject become timeout decisions; escalate raises the case to
    /// <see cref="CaseStatus.Escalated"/> at <see cref="Priority.Urgent"/> with no expiry. Audited as <c>case.expired</c>.
    /// Returns the cases as they are now.
    /// </summary>
    Task<IReadOnlyList<HandoffCase>> ExpireDueCasesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>The earliest expiry among open cases of every workspace, or null when none expires.</summary>
    Task<DateTimeOffset?> GetNextExpiryAsync(CancellationToken cancellationToken = default);

    // --- audit ---------------------------------------------------------------------------------

    /// <summary>Audit entries with a sequence above <paramref name="afterSequence"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The audit entries about one case, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetCaseHistoryAsync(string workspaceId, string caseId, CancellationToken cancellationToken = default);
}
