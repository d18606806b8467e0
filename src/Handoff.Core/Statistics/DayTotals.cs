using Handoff.Core.Cases;

namespace Handoff.Core.Statistics;

/// <summary>
/// What the overview counts of one UTC day's cases, added up: the day's roll-up. The store keeps one per workspace and
/// day for the cases that are closed — whose numbers can no longer change — so the overview reads a row per day
/// instead of every case (see <see cref="CaseStatistics.Compute(IEnumerable{DayTotals}, IEnumerable{CaseRecord}, DateTimeOffset, int)"/>).
/// Nothing here depends on the time it is read: an open case's SLA risk is worked out when the overview is.
/// </summary>
public sealed class DayTotals
{
    private readonly Dictionary<string, int> _escalationsByRule = new(StringComparer.Ordinal);
    private readonly Dictionary<Verdict, int> _decisionsByVerdict = [];

    public DayTotals(DateOnly date) => Date = date;

    /// <summary>The UTC day the cases were created on.</summary>
    public DateOnly Date { get; }

    /// <summary>How many cases, split by the policy's outcome, and how many of them ran out of time.</summary>
    public CaseCounts Counts { get; private set; } = CaseCounts.None;

    /// <summary>For each rule, how many of the cases that needed a person it fired on.</summary>
    public IReadOnlyDictionary<string, int> EscalationsByRule => _escalationsByRule;

    /// <summary>How many of the cases a person decided, by verdict.</summary>
    public IReadOnlyDictionary<Verdict, int> DecisionsByVerdict => _decisionsByVerdict;

    /// <summary>The times from creation to a person's decision.</summary>
    public DecisionTimes TimesToDecision { get; } = new();

    /// <summary>Cases with an SLA decided before their due time.</summary>
    public int SlaMet { get; private set; }

    /// <summary>Cases with an SLA decided at or after their due time.</summary>
    public int SlaMissed { get; private set; }

    /// <summary>Adds one case (of this day; the caller sees to that).</summary>
    public void Add(CaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Counts = Counts.Add(CaseCounts.Of(record));
        if (CaseStatistics.NeededAPerson(record))
        {
            // A rule named twice among one case's reasons still made that case need a person only once.
            foreach (var rule in record.Rules.Distinct(StringComparer.Ordinal))
            {
                AddRule(rule, 1);
            }
        }

        if (record is { DecidedByPerson: true, Verdict: { } verdict })
        {
            AddVerdict(verdict, 1);
            if (record.DecidedAt is { } decidedAt)
            {
                TimesToDecision.Add(decidedAt - record.CreatedAt);
            }
        }

        // Breached from the due instant on, as the SLA worker and the inbox have it: a decision at the due time missed it.
        if (!record.Status.IsOpen() && record is { SlaDueAt: { } due, DecidedAt: { } decided })
        {
            AddSla(decided < due ? 1 : 0, decided < due ? 0 : 1);
        }
    }

    /// <summary>Adds every number of <paramref name="other"/>, whatever its day.</summary>
    public void Add(DayTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        AddCounts(other.Counts);
        foreach (var (rule, count) in other._escalationsByRule)
        {
            AddRule(rule, count);
        }

        foreach (var (verdict, count) in other._decisionsByVerdict)
        {
            AddVerdict(verdict, count);
        }

        TimesToDecision.Add(other.TimesToDecision);
        AddSla(other.SlaMet, other.SlaMissed);
    }

    /// <summary>Adds counts read back from storage.</summary>
    public void AddCounts(CaseCounts counts) => Counts = Counts.Add(counts);

    /// <inheritdoc cref="AddCounts"/>
    public void AddRule(string rule, int count)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _escalationsByRule[rule] = _escalationsByRule.GetValueOrDefault(rule) + count;
    }

    /// <inheritdoc cref="AddCounts"/>
    public void AddVerdict(Verdict verdict, int count) => _decisionsByVerdict[verdict] = _decisionsByVerdict.GetValueOrDefault(verdict) + count;

    /// <inheritdoc cref="AddCounts"/>
    public void AddSla(int met, int missed)
    {
        SlaMet += met;
        SlaMissed += missed;
    }
}
