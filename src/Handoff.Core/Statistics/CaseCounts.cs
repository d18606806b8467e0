namespace Handoff.Core.Statistics;

/// <summary>
/// How many cases came in and what became of them. <see cref="Automated"/>, <see cref="Escalated"/> and
/// <see cref="Blocked"/> split <see cref="Submitted"/> by the policy's outcome, so they add up to it;
/// <see cref="Expired"/> counts across them.
/// </summary>
/// <param name="Automated">Outcome <c>auto</c>: the agent went ahead alone.</param>
/// <param name="Escalated">Outcome <c>review</c> or <c>escalate</c>: a person had to look at it.</param>
/// <param name="Blocked">Outcome <c>block</c>.</param>
/// <param name="Expired">Ran out of time before a person decided (see <see cref="CaseRecord.TimedOut"/>).</param>
public sealed record CaseCounts(int Submitted, int Automated, int Escalated, int Blocked, int Expired)
{
    public static CaseCounts None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>These counts and <paramref name="other"/>'s, column by column.</summary>
    public CaseCounts Add(CaseCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Submitted + other.Submitted,
            Automated + other.Automated,
            Escalated + other.Escalated,
            Blocked + other.Blocked,
            Expired + other.Expired);
    }

    /// <summary>The counts of one case: <see cref="Submitted"/> is 1, and so is the column its outcome falls in.</summary>
    public static CaseCounts Of(CaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            1,
            record.Outcome == Policy.Outcome.Auto ? 1 : 0,
            CaseStatistics.NeededAPerson(record) ? 1 : 0,
            record.Outcome == Policy.Outcome.Block ? 1 : 0,
            record.TimedOut ? 1 : 0);
    }
}
