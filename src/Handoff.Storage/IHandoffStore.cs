using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Core.Statistics;

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

    /// <summary>Every workspace, by name.</summary>
    Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new API key (only its hash) and audits it.</summary>
    Task<ApiKey> AddApiKeyAsync(NewApiKey key, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes a key of the workspace (audited as <c>key.revoked</c>); <see cref="FindApiKeyByHashAsync"/> no longer
    /// finds it. False when there is no such active key in the workspace.
    /// </summary>
    Task<bool> RevokeApiKeyAsync(string workspaceId, string keyId, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Finds an active (not revoked) key by the SHA-256 hash of its secret.</summary>
    Task<ApiKey?> FindApiKeyByHashAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Every key of the workspace, revoked ones too, newest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken = default);

    // --- dashboard users -----------------------------------------------------------------------
    // Emails are unique across the whole store, compared ignoring case; each is kept as it was given.

    /// <summary>How many users the store has, in every workspace, disabled ones included.</summary>
    Task<int> CountUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the user unless the email is taken, in any workspace and in any case (then null). Audited as
    /// <c>user.added</c> with the email, name, role and teams — never the password hash.
    /// </summary>
    Task<User?> AddUserAsync(NewUser user, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the user only if the store has no user at all, atomically: of several racing calls exactly one adds its
    /// user and the others get null. Audited as <c>user.added</c>.
    /// </summary>
    Task<User?> AddFirstUserAsync(NewUser user, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>The user with this email in any workspace, ignoring case; disabled users are found too.</summary>
    Task<User?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>The user, or null when there is no such user in this workspace.</summary>
    Task<User?> GetUserAsync(string workspaceId, string userId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's users, disabled ones too, ordered by name.</summary>
    Task<IReadOnlyList<User>> ListUsersAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the changes and returns the user after them; null when there is no such user in the workspace. Audited
    /// as <c>user.changed</c>, naming the fields that really changed (a new password hash as <c>password</c>, never
    /// the hash itself); changes that change nothing write no entry. Disabling a person also sets them offline
    /// (audited as <c>presence.changed</c> unless they were).
    /// </summary>
    Task<User?> UpdateUserAsync(string workspaceId, string userId, UserChanges changes, Actor actor, CancellationToken cancellationToken = default);

    // --- teams ---------------------------------------------------------------------------------
    // A team is named within its workspace; another workspace's team behaves exactly like one that does not exist.

    /// <summary>
    /// Adds the team (audited as <c>team.added</c> with every setting), unless the workspace has one of that name
    /// (<see cref="TeamResultStatus.NameTaken"/>), its overflow team is not a team of the workspace
    /// (<see cref="TeamResultStatus.UnknownOverflow"/>) or its supervisor not a user of it
    /// (<see cref="TeamResultStatus.UnknownSupervisor"/>). Throws <see cref="ArgumentException"/> for a name that is not
    /// a lowercase token, an overflow team that is the team itself, or a timeout that is not positive.
    /// </summary>
    Task<TeamResult> AddTeamAsync(Team team, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces every setting of the workspace's team named <see cref="Team.Name"/> (it keeps its creation time). Audited
    /// as <c>team.changed</c> naming the settings that really changed; an update that changes nothing writes nothing.
    /// Refused as <see cref="AddTeamAsync"/> refuses, or <see cref="TeamResultStatus.NotFound"/>.
    /// </summary>
    Task<TeamResult> UpdateTeamAsync(Team team, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>The workspace's team with this name, or null.</summary>
    Task<Team?> GetTeamAsync(string workspaceId, string name, CancellationToken cancellationToken = default);

    /// <summary>The workspace's teams, ordered by name.</summary>
    Task<IReadOnlyList<Team>> ListTeamsAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the team and takes it off every member's team list, in one transaction (audited as <c>team.removed</c>,
    /// naming those members); <see cref="TeamResultStatus.InUse"/> while another team overflows to it. Returns the team
    /// as it was.
    /// </summary>
    Task<TeamResult> RemoveTeamAsync(string workspaceId, string name, Actor actor, CancellationToken cancellationToken = default);

    // --- routing settings and presence ---------------------------------------------------------

    /// <summary>The workspace's routing settings; <see cref="RoutingSettings.Default"/> until they are set.</summary>
    Task<RoutingSettings> GetRoutingSettingsAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the settings (audited as <c>routing.changed</c> unless they are the same as before) and returns them.
    /// Values out of range (<see cref="RoutingSettings.IsValid"/>) throw <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    Task<RoutingSettings> SetRoutingSettingsAsync(string workspaceId, RoutingSettings settings, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>The person's stored presence, or null when there is no such user in the workspace.</summary>
    Task<PersonPresence?> GetPresenceAsync(string workspaceId, string userId, CancellationToken cancellationToken = default);

    /// <summary>The presence of every user of the workspace, disabled ones too, ordered by name.</summary>
    Task<IReadOnlyList<PersonPresence>> ListPresenceAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The person chooses <paramref name="presence"/>; also counts as seeing them now. Audited as
    /// <c>presence.changed</c> (with the previous value) only when the choice changes. Null when there is no such user
    /// in the workspace.
    /// </summary>
    Task<PersonPresence?> SetPresenceAsync(string workspaceId, string userId, Presence presence, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// A live dashboard saw the person at <paramref name="at"/> (never moved backwards). Not audited: like
    /// <see cref="RenewClaimsAsync"/>, it changes no state anyone decided. False when there is no such user in the
    /// workspace or they were already seen later.
    /// </summary>
    Task<bool> MarkPersonSeenAsync(string workspaceId, string userId, DateTimeOffset at, CancellationToken cancellationToken = default);


    // --- policy and autonomy -------------------------------------------------------------------

    /// <summary>The given version of the workspace's policy, or the newest when <paramref name="version"/> is null.</summary>
    Task<StoredPolicy?> GetPolicyAsync(string workspaceId, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Every version of the workspace's policy, newest first.</summary>
    Task<IReadOnlyList<StoredPolicy>> ListPoliciesAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="source"/> as the next version (1 for the first) and audits it. With
    /// <paramref name="onlyIfChanged"/>, when the newest version already has exactly this source, nothing is written
    /// and that version comes back — decided inside the write, so servers starting together publish once.
    /// </summary>
    Task<StoredPolicy> PublishPolicyAsync(string workspaceId, string source, Actor actor, CancellationToken cancellationToken = default, bool onlyIfChanged = false);

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
    /// Every case of every workspace, ordered by id, whose id sorts after <paramref name="afterId"/> (null: from the
    /// first), at most <paramref name="limit"/>; for checking the stored cases against the audit log.
    /// </summary>
    /// <exception cref="BrokenRecordException">A case's stored document is not a case.</exception>
    Task<IReadOnlyList<HandoffCase>> ReadCasesAsync(string? afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Newest first, keyset-paginated: pass the previous page's <see cref="CasePage.NextCursor"/>. The limit is clamped
    /// to 1..200; a cursor this store did not issue throws <see cref="ArgumentException"/>.
    /// </summary>
    Task<CasePage> ListCasesAsync(string workspaceId, CaseQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The inbox: up to <paramref name="limit"/> (clamped to 1..200) open cases (pending, assigned, escalated, taken over) of the
    /// workspace, most urgent first — highest <see cref="Priority"/> first, then oldest (creation time, then arrival).
    /// <paramref name="teams"/> null lists every team; otherwise only cases of the given teams (none when empty).
    /// </summary>
    Task<IReadOnlyList<HandoffCase>> ListOpenCasesAsync(string workspaceId, IReadOnlyCollection<string>? teams, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// What the overview's numbers are computed from (see <see cref="CaseStatistics"/>), for the cases of the workspace
    /// created at or after <paramref name="since"/>: the roll-ups of the closed ones, by UTC day of creation, and the
    /// records of the rest — the open ones and those closed since the roll-ups were last brought up to date. Each case
    /// is in one or the other, read at one instant.
    /// </summary>
    Task<OverviewFacts> GetOverviewFactsAsync(string workspaceId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the cases closed by the next audit entries (at most <paramref name="maxEntries"/> that can close one) to the
    /// roll-ups of their workspace and creation day, across workspaces, and moves the roll-ups' position past them;
    /// returns how many audit entries the position moved past, 0 when it was already at the end of the log. Safe to run
    /// on several nodes at once: each case is counted once.
    /// </summary>
    Task<int> RollUpClosedCasesAsync(int maxEntries, CancellationToken cancellationToken = default);

    /// <summary>
    /// The decision ledger (people's decisions, recorded with them; see <see cref="Core.Learning.DecisionRecord"/>): the
    /// workspace's decisions taken at or after <paramref name="since"/>, in the order they were recorded, from after the
    /// position <paramref name="after"/> (0 for the first page, then <see cref="Learning.DecisionPage.Next"/>).
    /// </summary>
    Task<Learning.DecisionPage> ListDecisionsAsync(string workspaceId, DateTimeOffset since, long after = 0, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decided cases of the workspace whose text contains any of the query's terms (full-text search: SQLite FTS5,
    /// PostgreSQL's tsvector), those proposing the same action first, then the closest; never the excluded case.
    /// </summary>
    Task<IReadOnlyList<Learning.PrecedentMatch>> FindPrecedentsAsync(string workspaceId, Learning.PrecedentQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Rows of the decision ledger (every workspace's) past position <paramref name="after"/> with no embedding of
    /// <paramref name="model"/> yet, oldest first, at most <paramref name="limit"/>: the embedding worker's backlog.
    /// </summary>
    Task<IReadOnlyList<Learning.TextToEmbed>> ListDecisionsToEmbedAsync(string model, long after, int limit, CancellationToken cancellationToken = default);

    /// <summary>The position of the decision ledger's newest row (every workspace's), 0 when it is empty.</summary>
    Task<long> NewestDecisionSeqAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores sentence embeddings of ledger rows (by <see cref="Learning.TextToEmbed.Seq"/>). A row that already has a
    /// vector of the model keeps it; a position with no ledger row is skipped.
    /// </summary>
    Task SaveDecisionEmbeddingsAsync(string model, IReadOnlyList<(long Seq, float[] Vector)> vectors, CancellationToken cancellationToken = default);

    /// <summary>
    /// The stored embeddings of <paramref name="model"/> for those of <paramref name="caseIds"/> (at most 200) that
    /// are decided cases of the workspace and have one, by case id.
    /// </summary>
    Task<IReadOnlyDictionary<string, float[]>> GetDecisionEmbeddingsAsync(
        string workspaceId, string model, IReadOnlyCollection<string> caseIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Assigns an open, unassigned case to <paramref name="actor"/>: a pending case becomes assigned, an escalated one
    /// stays escalated (with the assignee) so the queue still shows it was raised. Claiming one's own case again
    /// succeeds and changes nothing. A closed case or one held by someone else is a conflict. A person of the workspace
    /// whose open cases, weighed by the workspace's <see cref="RoutingSettings"/>, leave no room for it within their
    /// capacity gets <see cref="CaseUpdateStatus.OverCapacity"/> and nothing changes — checked inside the write, as for
    /// <see cref="AcceptOfferAsync"/>, and likewise for every write that gives a person a case (takeover, reassignment,
    /// transfer, a supervisor rung). A write that adds nothing to what they hold is never refused. Callers that are no
    /// person (API keys) have no capacity.
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

    // --- takeover: a person owns the conversation ---------------------------------------------

    /// <summary>
    /// A person takes the conversation over: an open case that nobody else holds becomes
    /// <see cref="CaseStatus.TakenOver"/>, assigned to <paramref name="actor"/>, with no expiry (it never times out).
    /// Taking over one's own taken-over case again changes nothing. A closed case or one held by someone else is a
    /// conflict; no room within the person's capacity is <see cref="CaseUpdateStatus.OverCapacity"/> (see
    /// <see cref="ClaimCaseAsync"/>). Audited as <c>case.takenOver</c>.
    /// </summary>
    Task<CaseUpdate> TakeOverCaseAsync(string workspaceId, string caseId, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a message to an open case's <see cref="HandoffCase.Transcript"/>, numbered after the last one. The
    /// customer's are always taken; the agent's own only while the case is not taken over; a person's only from the
    /// one who took it over. Anything else — a closed case, or a full transcript (<see cref="CaseMessage.MaxPerCase"/>) —
    /// is a conflict. Audited as <c>case.message</c> with the number, role and SHA-256 of the text (not the text).
    /// </summary>
    Task<CaseUpdate> AddCaseMessageAsync(
        string workspaceId, string caseId, CaseMessageRole role, string text, Actor by, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// The person who took the conversation over hands it back with <paramref name="note"/>: the case closes as
    /// <see cref="CaseStatus.HandedBack"/> with a <see cref="Verdict.HandBack"/> decision whose text is the note. Only
    /// the owner of a taken-over case may; anything else is a conflict. Audited as <c>case.handedBack</c>.
    /// </summary>
    Task<CaseUpdate> HandBackCaseAsync(string workspaceId, string caseId, Actor actor, string note, DateTimeOffset at, CancellationToken cancellationToken = default);

    // --- SLAs ---------------------------------------------------------------------------------

    /// <summary>
    /// Applies what is due at <paramref name="now"/> to up to <paramref name="max"/> open cases with an SLA
    /// (<see cref="HandoffCase.Sla"/>), every workspace: the warning (<c>case.slaWarning</c>), the breach
    /// (<c>case.slaBreached</c>), then each breach-ladder rung once (<c>case.slaStep</c>; a <c>timeout</c> rung applies
    /// <c>onTimeout</c> and is logged as <c>case.expired</c> with <c>slaStep</c>), all by the system actor in one
    /// transaction. Closed cases are never touched. Returns the changed cases as they are now.
    /// </summary>
    Task<IReadOnlyList<HandoffCase>> RunDueSlaEventsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>The earliest SLA event (warning, breach or rung) among open cases of every workspace, or null when none.</summary>
    Task<DateTimeOffset?> GetNextSlaEventAsync(CancellationToken cancellationToken = default);

    // --- claims held by people ----------------------------------------------------------------
    // A claim by a person (Actor.IsDashboardUser()) carries the time they were last seen: the claim's own time, then each
    // renewal. API-key claims carry none and are never released for being unseen.

    /// <summary>
    /// The person is still there: every open case of the workspace that <paramref name="holderId"/> holds is seen at
    /// <paramref name="at"/> (never earlier than it was). Not audited: it changes no state of a case. Returns how many
    /// claims were renewed.
    /// </summary>
    Task<int> RenewClaimsAsync(string workspaceId, string holderId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The earliest last-seen time among the claims people hold, in every workspace, or null when none.</summary>
    Task<DateTimeOffset?> GetOldestClaimSeenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// When the next claim a person holds falls idle under <paramref name="timeouts"/> (its last-seen time plus its
    /// team's timeout), in every workspace, or null when none is held.
    /// </summary>
    Task<DateTimeOffset?> GetNextIdleClaimAsync(IdleClaimTimeouts timeouts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns to the queue up to <paramref name="max"/> open cases whose holder (a person) was last seen at least their
    /// team's idle-claim timeout (<paramref name="timeouts"/>) before <paramref name="now"/>, longest unseen first, as
    /// their holder's own release would (pending again, or still escalated), at <paramref name="now"/>. Each is audited as
    /// <c>case.released</c> by the system actor, naming the holder, the timeout applied (<c>idleTimeoutSeconds</c>) and
    /// a <c>reason</c>. Returns the released cases as they are now.
    /// </summary>
    Task<IReadOnlyList<HandoffCase>> ReleaseUnseenClaimsAsync(DateTimeOffset now, IdleClaimTimeouts timeouts, int max, CancellationToken cancellationToken = default);

    // --- offers (push routing and live cases) -------------------------------------------------
    // One person at a time is offered a case; the rules are Core's Offers, applied here atomically with their audit.

    /// <summary>
    /// Rings the case for <paramref name="to"/> for <paramref name="timeout"/> (see <c>Offers.Offer</c>), audited as
    /// <c>case.offered</c>. A conflict when the case is closed, held, already ringing, or <paramref name="to"/> passed it over.
    /// </summary>
    Task<CaseUpdate> OfferCaseAsync(string workspaceId, string caseId, Actor to, DateTimeOffset at, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// The person the case rings for takes it before the offer lapses (audited as <c>case.accepted</c>), unless the
    /// open cases they hold, weighed by <paramref name="capacity"/>'s weights, would then exceed its capacity
    /// (<see cref="CaseUpdateStatus.OverCapacity"/>, nothing changes). Checked inside the write, so two offers accepted
    /// at once never take a person over their capacity. A conflict when the offer is not theirs or has lapsed.
    /// </summary>
    Task<CaseUpdate> AcceptOfferAsync(string workspaceId, string caseId, Actor by, DateTimeOffset at, CapacityLimit capacity, CancellationToken cancellationToken = default);

    /// <summary>The person the case rings for declines it (audited as <c>case.declined</c>); it is not offered to them again.</summary>
    Task<CaseUpdate> DeclineOfferAsync(string workspaceId, string caseId, Actor by, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends up to <paramref name="max"/> offers, in every workspace, that lapsed at or before <paramref name="now"/>, each
    /// audited as <c>case.offerLapsed</c> by the system actor; their people count as having passed the cases over.
    /// Returns the cases as they are now.
    /// </summary>
    Task<IReadOnlyList<HandoffCase>> LapseDueOffersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>Live cases, in every workspace, whose live wait ended at or before <paramref name="now"/> with nobody on them; a read.</summary>
    Task<IReadOnlyList<HandoffCase>> ListLiveCasesDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// A live case nobody picked up in time falls back to the queue (see <c>Offers.FallBack</c>), audited as
    /// <c>case.liveFallback</c> with <paramref name="expectedWait"/> and its <paramref name="basis"/>, which the agent
    /// relays to the customer. A conflict when it is no longer a live case waiting.
    /// </summary>
    Task<CaseUpdate> FallBackLiveCaseAsync(string workspaceId, string caseId, DateTimeOffset at, TimeSpan? expectedWait, string basis, CancellationToken cancellationToken = default);

    /// <summary>When the next offer lapses or live wait ends, in every workspace; null when nothing rings.</summary>
    Task<DateTimeOffset?> GetNextOfferDueAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Open cases of the workspace for routing: every one, unassigned ones and held ones (loads come from the latter),
    /// oldest first. Unlike the inbox this is not capped: the routing pass needs them all.
    /// </summary>
    Task<IReadOnlyList<HandoffCase>> ListRoutableCasesAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// "Next case" in a pull team: in one write, the most urgent waiting case (<c>PullRouting</c>'s order: priority, SLA
    /// due time read off the team's working hours, age) of one of <paramref name="personId"/>'s pull teams — only
    /// <paramref name="team"/> when given — that fits their skills and language and is not ringing for someone, becomes
    /// theirs as a claim would make it, unless the open cases they hold, weighed by the workspace's
    /// <see cref="RoutingSettings"/>, would then exceed their capacity (the rule of <see cref="AcceptOfferAsync"/>; a
    /// lighter case that fits is taken instead of a heavier one that does not). Audited as <c>case.claimed</c> by the
    /// person, with <c>next: true</c> and, when <paramref name="by"/> is someone else (an API key asking for them),
    /// <c>requestedBy</c>. The choice and the assignment happen under the write lock every claim takes, so two people
    /// asking at once, on any node, never get the same case and nobody goes over capacity.
    /// </summary>
    Task<NextCaseResult> TakeNextCaseAsync(
        string workspaceId, string personId, string? team, Actor by, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cases of <paramref name="team"/> that a person took (claimed, or accepted an offer of) at or after
    /// <paramref name="since"/>, newest first, at most <paramref name="max"/>: what expected waits are estimated from.
    /// </summary>
    Task<IReadOnlyList<HandoffCase>> ListRecentPickupsAsync(string workspaceId, string team, DateTimeOffset since, int max, CancellationToken cancellationToken = default);

    // --- handing cases on (reassign, transfer) -------------------------------------------------
    // The rules are Core's Handovers. heldBy: the id the case must be held by when the change is made (a reviewer hands
    // on only what they hold), or null for a supervisor. The person it goes to must have room within their capacity
    // (CaseUpdateStatus.OverCapacity otherwise, nothing changes), as for a claim.

    /// <summary>
    /// A supervisor gives an open case to <paramref name="to"/> (a person of the workspace; the caller checks that), as
    /// if they had claimed it; a ringing offer ends. Audited as <c>case.reassigned</c> with from, to and the note. The
    /// new holder's claim counts as seen at <paramref name="at"/>. A conflict when the case is closed (or, with
    /// <paramref name="heldBy"/>, no longer held by them).
    /// </summary>
    Task<CaseUpdate> ReassignCaseAsync(string workspaceId, string caseId, Actor to, Actor by, string? note, DateTimeOffset at, string? heldBy = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands the case on to a colleague (<paramref name="toPerson"/>, as <see cref="ReassignCaseAsync"/>) or to another
    /// team (<paramref name="toTeam"/>, a team of the workspace; the caller checks that): the case takes the team and
    /// goes back to the queue unassigned, with no offer ringing and nobody passed over. Exactly one of the two is given
    /// (else <see cref="ArgumentException"/>). Audited as <c>case.transferred</c> with from, to or fromTeam and toTeam,
    /// and the note. A conflict as for <see cref="ReassignCaseAsync"/>, and when the case is taken over (to a team) or
    /// already in <paramref name="toTeam"/>.
    /// </summary>
    Task<CaseUpdate> TransferCaseAsync(string workspaceId, string caseId, Actor? toPerson, string? toTeam, Actor by, string? note, DateTimeOffset at, string? heldBy, CancellationToken cancellationToken = default);

    // --- the outbox: events read off the audit log, sent through channels ----------------------
    // The audit log is the outbox's source: each entry is written in the same transaction as the change it records.
    // A dispatcher reads entries after its position, fans each out to its destinations and enqueues them together
    // with the new position (compare-and-set, so with several nodes each entry is fanned out once); delivery workers
    // lease due messages, attempt them, and complete them with the attempt's outcome.

    /// <summary>The audit sequence number the dispatcher has fanned out up to (0 before any).</summary>
    Task<long> GetDispatchPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="deliveries"/> to the outbox and moves the dispatcher's position from <paramref name="from"/>
    /// to <paramref name="to"/>, in one write; false, and nothing changes, when the position is no longer
    /// <paramref name="from"/> (another dispatcher got there first). A delivery whose event id, channel and target the
    /// outbox already holds is not added again.
    /// </summary>
    Task<bool> EnqueueAsync(long from, long to, IReadOnlyList<Outbox.NewDelivery> deliveries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds messages that come from no audit entry (a daily digest): each at most once, by its event id, channel and
    /// target, however many nodes add it.
    /// </summary>
    Task AddDeliveriesAsync(IReadOnlyList<Outbox.NewDelivery> deliveries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="max"/> pending deliveries due at <paramref name="now"/> (oldest due first) for
    /// <paramref name="holder"/>: each counts one more attempt, and its next attempt time moves to
    /// <paramref name="now"/> + <paramref name="lease"/>, so that if the holder dies mid-attempt it falls due again
    /// then for anyone. One write: two holders never take the same delivery at once.
    /// </summary>
    Task<IReadOnlyList<Outbox.Delivery>> LeaseDeliveriesAsync(string holder, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs an attempt and, while the delivery is still leased to <paramref name="holder"/> for that attempt, applies
    /// its outcome: delivered; pending again at <see cref="Outbox.DeliveryResult.NextAt"/>; or failed (a dead letter)
    /// when there is no next time. For a webhook it also keeps the endpoint's health (<c>FailingSince</c>) and, with
    /// <see cref="Outbox.DeliveryResult.DisableEndpoint"/>, disables the endpoint (audited as <c>webhook.disabled</c>
    /// by the system; its pending deliveries fail). Returns the delivery as it is now, or null when there is none.
    /// </summary>
    Task<Outbox.Delivery?> CompleteDeliveryAsync(string deliveryId, string holder, Outbox.DeliveryResult result, CancellationToken cancellationToken = default);

    /// <summary>When the earliest pending delivery (or a lease) falls due, in every workspace; null when none.</summary>
    Task<DateTimeOffset?> GetNextDeliveryDueAsync(CancellationToken cancellationToken = default);

    Task<Outbox.Delivery?> GetDeliveryAsync(string workspaceId, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's deliveries matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<Outbox.Delivery>> ListDeliveriesAsync(string workspaceId, Outbox.DeliveryQuery query, CancellationToken cancellationToken = default);

    /// <summary>A delivery's attempts, first first; empty for another workspace's delivery.</summary>
    Task<IReadOnlyList<Outbox.DeliveryAttempt>> ListDeliveryAttemptsAsync(string workspaceId, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the failed deliveries <paramref name="replay"/> names pending again, due at <paramref name="at"/>, and
    /// returns how many; audited as <c>deliveries.replayed</c> when there were any.
    /// </summary>
    Task<int> ReplayDeliveriesAsync(string workspaceId, Outbox.DeliveryReplay replay, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>What the destination called the first delivered message about the case on that channel and target (to update or thread with it), or null.</summary>
    Task<string?> GetDeliveryReferenceAsync(string workspaceId, string caseId, string channel, string target, CancellationToken cancellationToken = default);

    // --- webhook endpoints and integrations ----------------------------------------------------

    /// <summary>Adds an endpoint (the store gives it its id and times); audited as <c>webhook.added</c>, without its secrets.</summary>
    Task<Outbox.WebhookEndpoint> AddWebhookEndpointAsync(Outbox.WebhookEndpoint endpoint, Actor actor, CancellationToken cancellationToken = default);

    Task<Outbox.WebhookEndpoint?> GetWebhookEndpointAsync(string workspaceId, string id, CancellationToken cancellationToken = default);

    /// <summary>A workspace's endpoints, or every workspace's (null), by id.</summary>
    Task<IReadOnlyList<Outbox.WebhookEndpoint>> ListWebhookEndpointsAsync(string? workspaceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an endpoint's URL, description, event types, secrets and enabled state (audited as
    /// <c>webhook.changed</c>); disabling it fails its pending deliveries, enabling it again clears its failing state.
    /// Null when there is no such endpoint in the workspace.
    /// </summary>
    Task<Outbox.WebhookEndpoint?> UpdateWebhookEndpointAsync(Outbox.WebhookEndpoint endpoint, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Removes an endpoint; its unsent deliveries are cancelled. Audited as <c>webhook.removed</c>. False when there is none.</summary>
    Task<bool> RemoveWebhookEndpointAsync(string workspaceId, string id, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>An integration's settings (a JSON document, secrets included), or null.</summary>
    Task<string?> GetIntegrationAsync(string workspaceId, string kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets (or, with null, removes) an integration's settings; audited as <c>integration.changed</c> with
    /// <paramref name="summary"/> only. With <paramref name="replace"/> false, settings already there stay (nothing is
    /// written): a way to create something once however many nodes try at the same time. Returns the settings stored now.
    /// </summary>
    Task<string?> SetIntegrationAsync(
        string workspaceId, string kind, string? config, string summary, Actor actor, bool replace = true, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the agent's receipt for an approved case (<see cref="ExecutionReceipts.Apply"/>: its mismatch set against
    /// the approved result), audited as <c>case.executed</c> or <c>case.executionFailed</c>. A conflict, with the case,
    /// when it is not approved or already has its receipt; not found outside the workspace.
    /// </summary>
    Task<CaseUpdate> RecordReceiptAsync(string workspaceId, string caseId, ExecutionReceipt receipt, CancellationToken cancellationToken = default);

    // --- QA of approvals made without a person (the learned gate's, and sampled auto ones) ------

    /// <summary>The cases waiting for a QA check, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<HandoffCase>> ListQaCasesAsync(string workspaceId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a person's QA check of a case in the queue (audited as <c>case.qaChecked</c>) and writes it to the
    /// decision ledger. <see cref="CaseUpdateStatus.NotFound"/> when the case is not in the workspace's queue,
    /// <see cref="CaseUpdateStatus.Conflict"/> when it was checked already.
    /// </summary>
    Task<CaseUpdate> CheckQaAsync(string workspaceId, string caseId, Core.Learning.QaReview review, CancellationToken cancellationToken = default);

    /// <summary>The QA queue of <paramref name="source"/> (<c>learned</c> or <c>auto</c>) for cases created at or after <paramref name="since"/>.</summary>
    Task<Learning.QaTally> CountQaAsync(string workspaceId, string source, DateTimeOffset since, CancellationToken cancellationToken = default);

    // --- audit ---------------------------------------------------------------------------------

    /// <summary>
    /// Sealed audit entries with a sequence above <paramref name="afterSequence"/>, oldest first, at most
    /// <paramref name="limit"/>. The sealed log only grows at its end, so a reader that follows it by sequence (the
    /// outbox, the workspace's event stream, a verifier) misses nothing.
    /// </summary>
    /// <exception cref="BrokenRecordException">An entry cannot be read back (an unparseable time, a missing field); it names the entry.</exception>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Searches one workspace's sealed audit entries, newest first; see <see cref="AuditQuery"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(string workspaceId, AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Seals up to <paramref name="maxEntries"/> of the entries written unsealed, in one transaction: gives each, in the
    /// order of their ids, the next place in the chain and its hashes. One sealer at a time across every node (the
    /// database decides); returns how many it sealed, 0 when none were waiting or another node was sealing. A sealer
    /// that dies mid-batch seals nothing: its transaction rolls back and the next one seals those entries. A backend
    /// whose entries are sealed as they are written (SQLite) always returns 0.
    /// </summary>
    Task<int> SealAuditAsync(int maxEntries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Entries written but not sealed yet with an id above <paramref name="afterId"/>, by id, at most
    /// <paramref name="limit"/>: what a verifier replays after the sealed log. Always empty where entries are sealed as
    /// they are written.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> ReadUnsealedAuditAsync(long afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The entries written but not sealed yet: how many, and when the oldest was written.</summary>
    Task<UnsealedAudit> GetUnsealedAuditAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The stored nodes of the sealed log's Merkle tree (<see cref="AuditTree"/>) on <paramref name="level"/> with an
    /// index from <paramref name="fromIndex"/> to <paramref name="fromIndex"/> + <paramref name="count"/> − 1, in index
    /// order; a node not stored is not listed.
    /// </summary>
    Task<IReadOnlyList<AuditTreeNode>> ReadAuditTreeAsync(int level, long fromIndex, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores nodes of the sealed log's Merkle tree. A node already stored stays as it was: a node is a function of
    /// the sealed log, so every process that computes it computes the same, and none needs to take turns.
    /// </summary>
    Task AddAuditTreeAsync(IReadOnlyList<AuditTreeNode> nodes, CancellationToken cancellationToken = default);

    /// <summary>For each level that has stored nodes, one more than the highest index stored on it.</summary>
    Task<IReadOnlyDictionary<int, long>> GetAuditTreeSizesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The audit entries about one case, oldest first (by <see cref="AuditEntry.Id"/>), sealed or not: a write's entry
    /// is in its case's history as soon as the write is committed.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> GetCaseHistoryAsync(string workspaceId, string caseId, CancellationToken cancellationToken = default);
}
