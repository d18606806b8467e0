using System.Globalization;
using Handoff.Core.Cases;

namespace Handoff.Core.Learning;

/// <summary>What people's decisions are grouped by in <see cref="Agreement"/>.</summary>
public enum AgreementGroup
{
    /// <summary>The rules that asked for a person (a decision counts under each of its rules).</summary>
    Rule,

    /// <summary>The intent or topic the agent named (<see cref="DecisionRecord.Intent"/>).</summary>
    Intent,

    /// <summary>The proposed tool call (<see cref="DecisionRecord.Action"/>); replies without one as <c>(reply)</c>.</summary>
    Action,

    /// <summary>The agent's confidence, in bands of a tenth from 0.5 (below 0.5 in one band).</summary>
    Confidence,
}

/// <summary>How often people approved the AI's proposal unchanged, edited it or rejected it, for one group.</summary>
/// <param name="Key">The rule id, intent, action or confidence band.</param>
/// <param name="Edited">Edited, chose an alternative, or answered in their own words: went ahead, but not with the proposal as it was.</param>
/// <param name="Unchanged">Wilson's 95 % interval for the share approved unchanged.</param>
/// <param name="Weeks">The same counts by week (Monday, UTC), oldest first, for the trend; weeks without decisions left out.</param>
public sealed record AgreementRow(
    string Key, int Decisions, int ApprovedUnchanged, int Edited, int Rejected, Interval Unchanged, IReadOnlyList<AgreementWeek> Weeks)
{
    /// <summary>The share approved unchanged.</summary>
    public double Rate => Decisions == 0 ? 0 : (double)ApprovedUnchanged / Decisions;
}

/// <summary>One week of an <see cref="AgreementRow"/>.</summary>
public sealed record AgreementWeek(DateOnly Monday, int Decisions, int ApprovedUnchanged);

/// <summary>Agreement statistics from the decision ledger. Pure: no clock, no I/O.</summary>
public static class Agreement
{
    /// <summary>The key of decisions with no intent, and of confidence when the agent gave none.</summary>
    public const string None = "(none)";

    /// <summary>The action key of a reply without a tool call.</summary>
    public const string Reply = "(reply)";

    /// <summary>One row per key, most decisions first (then by key).</summary>
    public static IReadOnlyList<AgreementRow> Compute(IEnumerable<DecisionRecord> records, AgreementGroup by)
    {
        ArgumentNullException.ThrowIfNull(records);
        var groups = new Dictionary<string, List<DecisionRecord>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            foreach (var key in Keys(record, by))
            {
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                }

                list.Add(record);
            }
        }

        return [.. groups.Select(static g => Row(g.Key, g.Value)).OrderByDescending(static r => r.Decisions).ThenBy(static r => r.Key, StringComparer.Ordinal)];
    }

    /// <summary>The confidence band a case falls in: <c>&lt; 0.5</c>, <c>0.5–0.6</c>, …, <c>0.9–1.0</c>, or <see cref="None"/>.</summary>
    public static string Band(double? confidence)
    {
        if (confidence is not { } c || double.IsNaN(c))
        {
            return None;
        }

        if (c < 0.5)
        {
            return "< 0.5";
        }

        var tenth = Math.Min(9, (int)Math.Floor(c * 10));
        return string.Create(CultureInfo.InvariantCulture, $"{tenth / 10.0:0.0}–{(tenth + 1) / 10.0:0.0}");
    }

    private static IEnumerable<string> Keys(DecisionRecord record, AgreementGroup by) => by switch
    {
        AgreementGroup.Rule => record.Rules.Count == 0 ? [None] : record.Rules.Distinct(StringComparer.Ordinal),
        AgreementGroup.Intent => [record.Intent ?? None],
        AgreementGroup.Action => [record.Action ?? Reply],
        AgreementGroup.Confidence => [Band(record.Confidence)],
        _ => throw new ArgumentOutOfRangeException(nameof(by), by, null),
    };

    private static AgreementRow Row(string key, List<DecisionRecord> decisions)
    {
        int unchanged = 0, edited = 0, rejected = 0;
        var weeks = new SortedDictionary<DateOnly, (int Decisions, int Unchanged)>();
        foreach (var d in decisions)
        {
            switch (d.Verdict)
            {
                case Verdict.Approve:
                    unchanged++;
                    break;
                case Verdict.Reject:
                    rejected++;
                    break;
                default:
                    edited++;
                    break;
            }

            var day = DateOnly.FromDateTime(d.DecidedAt.UtcDateTime);
            var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
            var (n, u) = weeks.GetValueOrDefault(monday);
            weeks[monday] = (n + 1, u + (d.ApprovedUnchanged ? 1 : 0));
        }

        return new AgreementRow(
            key, decisions.Count, unchanged, edited, rejected, Proportion.Wilson(unchanged, decisions.Count),
            [.. weeks.Select(static w => new AgreementWeek(w.Key, w.Value.Decisions, w.Value.Unchanged))]);
    }
}
