using System.Globalization;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Storage;

/// <summary>
/// Replays the audit log's case entries into what they say each case's state is, so that stored cases can be checked
/// against them. Fed every entry in sequence order (<see cref="Add"/>), then every stored case (<see cref="Compare"/>),
/// then asked which logged cases were never seen (<see cref="Unseen"/>). Holds a few fields per case, not the entries.
/// </summary>
/// <remarks>
/// What the entries record, and so what is checked: the workspace, status, assignee, the policy's outcome, team (as
/// transfers and overflow rungs change it) and version, the proposal (through its digest), and the decision's verdict,
/// option, note, decider, digests and whether it timed out; an escalation by timeout also raises the priority to
/// urgent; a breach-ladder rung (<c>case.slaStep</c>) records the status, priority, team and assignee it left; a
/// takeover, its transcript (how many messages, and each one's role and text through its SHA-256) and its handback;
/// the agent's execution receipt (outcome and digest). A QA check changes nothing checked here.
/// What they do not record, and is not checked: the rest of the submission (summary, facts, conversation, options),
/// the priority the policy gave, the expiry time and <c>onTimeout</c>, the SLA's instants, the decision's result and
/// changes beyond their digest, and when and by whom each message was posted.
/// </remarks>
public sealed class CaseAuditReplay
{
    private readonly Dictionary<string, Replayed> _cases = new(StringComparer.Ordinal);

    /// <summary>Takes the next entry; returns "entry N is broken: …" when its data cannot be read, else null.</summary>
    public string? Add(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            using var document = JsonDocument.Parse(entry.Data);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Broken(entry, "its data is not a JSON object");
            }

            return Apply(entry, document.RootElement);
        }
        catch (JsonException e)
        {
            return Broken(entry, $"its data is not JSON ({e.Message})");
        }
        catch (BrokenEntry e)
        {
            return Broken(entry, e.Message);
        }
    }

    /// <summary>
    /// How <paramref name="stored"/> differs from what its entries say, one line per field:
    /// "case cs_… : stored status X but its audit entries say Y".
    /// </summary>
    public IEnumerable<string> Compare(HandoffCase stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!_cases.TryGetValue(stored.Id, out var expected))
        {
            yield return $"case {stored.Id} : stored, but the audit log has no case.created for it";
            yield break;
        }

        expected.Seen = true;
        var decision = stored.Decision;
        var fields = new (string Field, string? Stored, string? Expected)[]
        {
            ("workspace", stored.WorkspaceId, expected.WorkspaceId),
            ("status", Show(stored.Status), Show(expected.Status)),
            ("assignee", stored.AssignedTo?.Id, expected.AssigneeId),
            ("outcome", Show(stored.Evaluation.Outcome), Show(expected.Outcome)),
            ("team", stored.Evaluation.Team, expected.Team),
            ("policy version", Show(stored.Evaluation.PolicyVersion), Show(expected.PolicyVersion)),
            ("proposal digest", ProposalDigest.Compute(stored.Content.Proposal), expected.ProposalDigest),
            ("verdict", Show(decision?.Verdict), Show(expected.Verdict)),
            ("decision's proposal digest", decision?.ProposalDigest, expected.DecisionProposalDigest),
            ("result digest", decision?.ResultDigest, expected.ResultDigest),
            ("option", Show(decision?.Option), Show(expected.Option)),
            ("note", decision?.Note, expected.Note),
            ("timed out", Show(decision?.TimedOut), Show(expected.TimedOut)),
            ("decider", decision?.DecidedBy?.Id, expected.DeciderId),
            ("priority", expected.Priority is null ? null : Show(stored.Evaluation.Priority), Show(expected.Priority)),
            ("message count", Show(stored.Transcript?.Count ?? 0), Show(expected.Messages)),
            ("transcript digest", TranscriptDigest(stored.Transcript), expected.TranscriptDigest),
            ("receipt", Show(stored.Receipt?.Outcome), Show(expected.ReceiptOutcome)),
            ("receipt's digest", stored.Receipt?.ResultDigest, expected.ReceiptDigest),
        };
        foreach (var (field, actual, wanted) in fields)
        {
            // A decision the policy took at submission records no decider, option or note of its own.
            if (expected.DecidedByPolicy && field is "decider" or "option" or "note")
            {
                continue;
            }

            if (!string.Equals(actual, wanted, StringComparison.Ordinal))
            {
                yield return $"case {stored.Id} : stored {field} {actual ?? "none"} but its audit entries say {wanted ?? "none"}";
            }
        }
    }

    /// <summary>A case that is in the store but could not be read (reported apart): not "missing from the store".</summary>
    public void Skip(string caseId)
    {
        if (_cases.TryGetValue(caseId, out var expected))
        {
            expected.Seen = true;
        }
    }

    /// <summary>Cases the log created that <see cref="Compare"/> was never given: rows removed from the store.</summary>
    public IEnumerable<string> Unseen() => _cases
        .Where(static c => !c.Value.Seen)
        .Select(static c => $"case {c.Key} : in the audit log ({c.Value.CreatedIn}) but not in the store");

    private string? Apply(AuditEntry entry, JsonElement data)
    {
        if (!entry.Action.StartsWith(AuditData.CasePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        if (entry.Action == AuditData.CaseCreated)
        {
            var status = Required<CaseStatus>(data, "status");
            var closed = !status.IsOpen();
            _cases[entry.Subject] = new Replayed
            {
                CreatedIn = Name(entry),
                WorkspaceId = entry.WorkspaceId,
                Status = status,
                Outcome = Required<Outcome>(data, "outcome"),
                Team = Required<string>(data, "team"),
                PolicyVersion = Required<int>(data, "policyVersion"),
                ProposalDigest = Required<string>(data, "proposalDigest"),
                // The policy's own decision: approve for an auto-approved case, reject for a blocked one.
                Verdict = closed ? status == CaseStatus.Blocked ? Verdict.Reject : Verdict.Approve : null,
                DecisionProposalDigest = closed ? Required<string>(data, "proposalDigest") : null,
                ResultDigest = closed ? Optional<string>(data, "resultDigest") : null,
                TimedOut = closed ? false : null,
                DecidedByPolicy = closed,
            };
            return null;
        }

        if (!_cases.TryGetValue(entry.Subject, out var c))
        {
            return Broken(entry, $"{entry.Action} for case {entry.Subject}, which no earlier case.created created");
        }

        switch (entry.Action)
        {
            case AuditData.CaseClaimed:
                c.Status = Required<CaseStatus>(data, "status");
                c.AssigneeId = entry.ActorId;
                break;
            case AuditData.CaseReleased:
                c.Status = Required<CaseStatus>(data, "status");
                c.AssigneeId = null;
                break;
            case AuditData.CaseDecided:
                var verdict = Required<Verdict>(data, "verdict");
                c.Status = verdict switch
                {
                    Verdict.Reject => CaseStatus.Rejected,
                    Verdict.Respond => CaseStatus.Responded,
                    _ => CaseStatus.Approved,
                };
                c.Verdict = verdict;
                c.Option = Optional<int?>(data, "option");
                c.Note = Optional<string>(data, "note");
                c.DecisionProposalDigest = Required<string>(data, "proposalDigest");
                c.ResultDigest = Optional<string>(data, "resultDigest");
                c.TimedOut = Optional<bool>(data, "timedOut");
                // A decision nobody signed is written by the system actor (DecidedBy null).
                c.DeciderId = entry.ActorKind == Actor.System.Kind ? null : entry.ActorId;
                break;
            case AuditData.CaseTakenOver:
                c.Status = Required<CaseStatus>(data, "status");
                c.AssigneeId = entry.ActorId;
                break;
            case AuditData.CaseMessage:
                var number = Required<int>(data, "number");
                if (number != c.Messages + 1)
                {
                    return Broken(entry, $"its message number {number} does not follow the case's {c.Messages} messages");
                }

                c.Messages = number;
                c.TranscriptDigest = Fold(c.TranscriptDigest, number, Required<CaseMessageRole>(data, "role"), Required<string>(data, "textDigest"));
                break;
            case AuditData.CaseHandedBack:
                c.Status = Required<CaseStatus>(data, "status");
                c.Verdict = Required<Verdict>(data, "verdict");
                c.Option = null;
                c.Note = null;
                c.DecisionProposalDigest = Required<string>(data, "proposalDigest");
                c.ResultDigest = null;
                c.TimedOut = false;
                c.DeciderId = entry.ActorId;
                break;
            case AuditData.CaseApproval:
                // An approval short of the number needed: the case goes back to the queue, still undecided.
                c.Status = Required<CaseStatus>(data, "status");
                c.AssigneeId = null;
                break;
            case AuditData.CaseAccepted:
                // Accepting an offer assigns the case to its person, as a claim does.
                c.Status = Required<CaseStatus>(data, "status");
                c.AssigneeId = entry.ActorId;
                break;
            case AuditData.CaseReassigned or AuditData.CaseTransferred:
                // Handed on to a person (to), or to another team's queue (toTeam), unassigned.
                c.Status = Required<CaseStatus>(data, "status");
                if (Optional<string>(data, "toTeam") is { } toTeam)
                {
                    c.Team = toTeam;
                    c.AssigneeId = null;
                }
                else
                {
                    c.AssigneeId = Required<HandedTo>(data, "to").Id;
                }

                break;
            case AuditData.CaseOffered or AuditData.CaseDeclined or AuditData.CaseOfferLapsed or AuditData.CaseLiveFallback:
                // Ringing changes who is asked, not the case's status, holder or decision.
                break;
            case AuditData.CaseExpired:
                var effect = Required<TimeoutEffect>(data, "effect");
                if (effect == TimeoutEffect.Escalate)
                {
                    c.Status = CaseStatus.Escalated;
                    c.Priority = Priority.Urgent;
                    break;
                }

                c.Status = effect == TimeoutEffect.Approve ? CaseStatus.Approved : CaseStatus.Rejected;
                c.Verdict = Required<Verdict>(data, "verdict");
                c.DecisionProposalDigest = Required<string>(data, "proposalDigest");
                c.ResultDigest = Optional<string>(data, "resultDigest");
                c.TimedOut = true;
                break;
            case AuditData.CaseQaChecked:
                // A QA check is the reviewer's opinion of a closed case; it changes none of the fields checked here.
                break;
            case AuditData.CaseExecuted or AuditData.CaseExecutionFailed:
                c.ReceiptOutcome = entry.Action == AuditData.CaseExecuted ? ExecutionOutcome.Executed : ExecutionOutcome.Failed;
                c.ReceiptDigest = Optional<string>(data, "resultDigest");
                break;
            case AuditData.CaseSlaWarning or AuditData.CaseSlaBreached:
                // The SLA's own instants are not checked (like the expiry time); these change no state that is.
                break;
            case AuditData.CaseSlaStep:
                c.Status = Required<CaseStatus>(data, "status");
                c.Priority = Required<Priority>(data, "priority");
                c.Team = Required<string>(data, "team");
                c.AssigneeId = Optional<string>(data, "assignee");
                break;
            default:
                return Broken(entry, $"its action {entry.Action} is not one Handoff writes");
        }

        return null;
    }

    private static T Required<T>(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? Read<T>(value, name)
            : throw new BrokenEntry($"its data has no {name}");

    private static T? Optional<T>(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) ? Read<T>(value, name) : default;

    private static T Read<T>(JsonElement value, string name)
    {
        try
        {
            return value.Deserialize<T>(HandoffJson.Options) ?? throw new BrokenEntry($"its {name} is null");
        }
        catch (JsonException)
        {
            throw new BrokenEntry($"its {name} {value.GetRawText()} is not a valid {name}");
        }
    }

    /// <summary>The transcript as one digest: each message's number, role and text digest folded in, in order; null when empty.</summary>
    private static string? TranscriptDigest(IReadOnlyList<CaseMessage>? transcript) =>
        transcript?.Aggregate((string?)null, static (digest, m) => Fold(digest, m.Number, m.Role, AuditData.TextDigest(m.Text)));

    private static string Fold(string? digest, int number, CaseMessageRole role, string textDigest) =>
        AuditData.TextDigest(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{digest}|{number}|{Show(role)}|{textDigest}"));

    private static string Broken(AuditEntry entry, string problem) => $"{Name(entry)} is broken: {problem}";

    // An entry by its place in the chain, or by its id while it waits to be sealed.
    private static string Name(AuditEntry entry) => entry.IsSealed
        ? string.Create(CultureInfo.InvariantCulture, $"entry {entry.Sequence}")
        : string.Create(CultureInfo.InvariantCulture, $"unsealed entry {entry.Id}");

    private static string? Show(object? value) => value switch
    {
        null => null,
        Enum e => JsonNamingPolicy.CamelCase.ConvertName(e.ToString()),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    // What a case's entries say, updated entry by entry.
    private sealed class Replayed
    {
        public required string CreatedIn { get; init; }
        public required string WorkspaceId { get; init; }
        public required Outcome Outcome { get; init; }
        public required string Team { get; set; }
        public required int PolicyVersion { get; init; }
        public required string ProposalDigest { get; init; }
        public required bool DecidedByPolicy { get; init; }
        public CaseStatus Status { get; set; }
        public string? AssigneeId { get; set; }
        public Verdict? Verdict { get; set; }
        public string? DecisionProposalDigest { get; set; }
        public string? ResultDigest { get; set; }
        public int? Option { get; set; }
        public string? Note { get; set; }
        public bool? TimedOut { get; set; }
        public string? DeciderId { get; set; }
        /// <summary>The priority the entries last set (an escalation by timeout, a ladder rung); null when none did.</summary>
        public Priority? Priority { get; set; }
        public int Messages { get; set; }
        public string? TranscriptDigest { get; set; }
        public ExecutionOutcome? ReceiptOutcome { get; set; }
        public string? ReceiptDigest { get; set; }
        public bool Seen { get; set; }
    }

    private sealed record HandedTo(string Id);

    private sealed class BrokenEntry(string message) : Exception(message);
}
