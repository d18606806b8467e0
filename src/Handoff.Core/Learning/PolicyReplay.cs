using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Learning;

/// <summary>One past case under the candidate policy: what it got then, what it would get now, and what people decided.</summary>
/// <param name="Verdict">A person's verdict on the case; null when no person decided it.</param>
/// <param name="RulesAfter">The candidate's rules that would ask for a person (or block).</param>
public sealed record ReplayedCase(
    string CaseId, string? Summary, DateTimeOffset CreatedAt, Outcome Before, Outcome After, string TeamBefore, string TeamAfter,
    Verdict? Verdict, IReadOnlyList<string> RulesAfter)
{
    /// <summary>The candidate would let the agent act alone on a case a person did not approve as it was: an error it lets through.</summary>
    public bool LetThrough => NewlyAutomated && Verdict is { } v && v != Cases.Verdict.Approve;

    /// <summary>A person saw the case (review or escalate), and the candidate would let the agent act alone.</summary>
    public bool NewlyAutomated => After == Outcome.Auto && Before is Outcome.Review or Outcome.Escalate;

    /// <summary>The candidate would let the agent act alone on a case a person approved unchanged: work saved at no cost.</summary>
    public bool SavedWork => NewlyAutomated && Verdict == Cases.Verdict.Approve;
}

/// <summary>How many cases went from one outcome to another.</summary>
public sealed record OutcomeChange(Outcome Before, Outcome After, int Cases);

/// <summary>The cases that needed a person, by team, under the current decisions and under the candidate.</summary>
public sealed record TeamWorkload(string Team, int Before, int After);

/// <summary>What a candidate policy would have done to the cases of a period (see <see cref="PolicyReplay"/>).</summary>
/// <param name="NewlyAutomated">Cases a person saw that the candidate would let the agent act on alone.</param>
/// <param name="NewlyAutomatedDecided">Of those, the ones a person decided (the others expired or are open): the ones that can be judged.</param>
/// <param name="LetThrough">Of those, the ones the person did not approve unchanged: the candidate's errors.</param>
/// <param name="ErrorRate">Wilson's 95 % interval for <see cref="LetThrough"/> / <see cref="NewlyAutomatedDecided"/>.</param>
/// <param name="NewlyHeld">Cases that went through alone and would now wait for a person (or be blocked).</param>
public sealed record ReplayReport(
    int Cases,
    int Changed,
    IReadOnlyList<OutcomeChange> Changes,
    IReadOnlyList<TeamWorkload> Workload,
    int NewlyAutomated,
    int NewlyAutomatedDecided,
    int LetThrough,
    Interval ErrorRate,
    int NewlyHeld,
    IReadOnlyList<ReplayedCase> Errors,
    IReadOnlyList<ReplayedCase> Examples);

/// <summary>
/// Replays past cases under a candidate policy before it goes live: each case's content evaluated again (as it was
/// submitted), compared with what it got, and judged by what people decided. Pure: the caller reads the cases.
/// </summary>
public static class PolicyReplay
{
    /// <summary>How many of each kind of case the report lists.</summary>
    public const int Listed = 20;

    public static ReplayReport Run(CompiledPolicy candidate, IEnumerable<HandoffCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var tally = new ReplayTally(candidate);
        foreach (var c in cases)
        {
            tally.Add(c);
        }

        return tally.Report();
    }

    /// <summary>One case under the candidate.</summary>
    public static ReplayedCase Replay(CompiledPolicy candidate, HandoffCase c)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(c);
        var after = candidate.Evaluate(c.Content);
        // A person's judgement of the proposal, as the ledger counts it: not the policy's, a timeout's or a handback.
        var verdict = c.Decision is { DecidedBy: { } by, TimedOut: false } d && by.IsPerson() && d.Verdict != Cases.Verdict.HandBack ? d.Verdict : (Verdict?)null;
        return new ReplayedCase(
            c.Id, c.Content.Summary, c.CreatedAt, c.Evaluation.Outcome, after.Outcome, c.Evaluation.Team, after.Team, verdict,
            [.. after.ReasonsForAPerson.Select(static r => r.Rule).Distinct(StringComparer.Ordinal)]);
    }

}

/// <summary>A replay counted one case at a time, so that a long period's cases need not all be held at once.</summary>
public sealed class ReplayTally(CompiledPolicy candidate)
{
    private readonly Dictionary<(Outcome, Outcome), int> _changes = [];
    private readonly SortedDictionary<string, (int Before, int After)> _workload = new(StringComparer.Ordinal);
    private readonly List<ReplayedCase> _errors = [];
    private readonly List<ReplayedCase> _examples = [];
    private int _total;
    private int _changed;
    private int _newlyAutomated;
    private int _judged;
    private int _letThrough;
    private int _newlyHeld;

    public void Add(HandoffCase c)
    {
        var replayed = PolicyReplay.Replay(candidate, c);
        _total++;
        _changes[(replayed.Before, replayed.After)] = _changes.GetValueOrDefault((replayed.Before, replayed.After)) + 1;
        if (NeedsAPerson(replayed.Before))
        {
            var (before, after) = _workload.GetValueOrDefault(replayed.TeamBefore);
            _workload[replayed.TeamBefore] = (before + 1, after);
        }

        if (NeedsAPerson(replayed.After))
        {
            var (before, after) = _workload.GetValueOrDefault(replayed.TeamAfter);
            _workload[replayed.TeamAfter] = (before, after + 1);
        }

        if (replayed.Before == replayed.After && replayed.TeamBefore == replayed.TeamAfter)
        {
            return;
        }

        _changed++;
        if (replayed.NewlyAutomated)
        {
            _newlyAutomated++;
            _judged += replayed.Verdict is null ? 0 : 1;
            if (replayed.LetThrough)
            {
                _letThrough++;
                if (_errors.Count < PolicyReplay.Listed)
                {
                    _errors.Add(replayed);
                }
            }
        }
        else if (replayed.Before == Outcome.Auto)
        {
            _newlyHeld++;
        }

        if (_examples.Count < PolicyReplay.Listed && !replayed.LetThrough)
        {
            _examples.Add(replayed);
        }
    }

    public ReplayReport Report() => new(
        _total,
        _changed,
        [.. _changes.Where(static c => c.Key.Item1 != c.Key.Item2).OrderByDescending(static c => c.Value).Select(static c => new OutcomeChange(c.Key.Item1, c.Key.Item2, c.Value))],
        [.. _workload.Select(static w => new TeamWorkload(w.Key, w.Value.Before, w.Value.After))],
        _newlyAutomated,
        _judged,
        _letThrough,
        Proportion.Wilson(_letThrough, _judged),
        _newlyHeld,
        [.. _errors],
        [.. _examples]);

    private static bool NeedsAPerson(Outcome outcome) => outcome is Outcome.Review or Outcome.Escalate;
}
