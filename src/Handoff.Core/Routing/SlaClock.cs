namespace Handoff.Core.Routing;

/// <summary>
/// A waiting case's SLA read off its team's <see cref="WorkingClock"/>: shares and time left are working time, so a case
/// queued on Friday evening does not turn amber over the weekend. Pure: the caller passes <c>now</c>.
/// </summary>
public static class SlaClock
{
    /// <summary>The share of the SLA's working time after which a case shows a warning, unless the team sets another.</summary>
    public const double DefaultWarnShare = 0.8;

    /// <summary>
    /// Where a case queued at <paramref name="queuedAt"/> and due at <paramref name="dueAt"/> (from
    /// <see cref="WorkingClock.DueAt"/>; null when never due) stands at <paramref name="now"/>. Breached from the due
    /// instant on; a warning once <paramref name="warnShare"/> of the working time between queued and due is used.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warnShare"/> is not in (0, 1].</exception>
    public static SlaStatus Evaluate(
        WorkingClock clock, DateTimeOffset queuedAt, DateTimeOffset? dueAt, DateTimeOffset now, double warnShare = DefaultWarnShare)
    {
        ArgumentNullException.ThrowIfNull(clock);
        CheckShare(warnShare);
        if (dueAt is not { } due)
        {
            return new SlaStatus(SlaState.Ok, null, 0);
        }

        var total = clock.WorkingTimeBetween(queuedAt, due);
        var used = clock.WorkingTimeBetween(queuedAt, now);
        if (now >= due)
        {
            var over = clock.WorkingTimeBetween(due, now);
            return new SlaStatus(SlaState.Breached, -over, total > TimeSpan.Zero ? (double)(total + over).Ticks / total.Ticks : 1);
        }

        // A due time with no working time before it (a zero SLA, or a caller's own due time in closed time) has nothing
        // left to use, so it warns. The state compares ticks, as WarningAt does, so the two never disagree by rounding.
        var share = total > TimeSpan.Zero ? (double)used.Ticks / total.Ticks : 1;
        var state = used.Ticks >= WarnAfter(total, warnShare) ? SlaState.Warning : SlaState.Ok;
        return new SlaStatus(state, total - used, share);
    }

    /// <summary>
    /// The instant a case turns to <see cref="SlaState.Warning"/>, for a worker to sleep until; null when never due.
    /// Consistent with <see cref="Evaluate"/>: at this instant and after it the state is at least a warning.
    /// </summary>
    public static DateTimeOffset? WarningAt(WorkingClock clock, DateTimeOffset queuedAt, DateTimeOffset? dueAt, double warnShare = DefaultWarnShare)
    {
        ArgumentNullException.ThrowIfNull(clock);
        CheckShare(warnShare);
        if (dueAt is not { } due)
        {
            return null;
        }

        var total = clock.WorkingTimeBetween(queuedAt, due);
        var at = clock.DueAt(queuedAt, TimeSpan.FromTicks(WarnAfter(total, warnShare)));
        return at is { } warning && warning < due ? warning : due;
    }

    /// <summary>The working time, in ticks, after which a case warns: the share rounded up, never past the whole.</summary>
    private static long WarnAfter(TimeSpan total, double warnShare) => Math.Min(total.Ticks, (long)Math.Ceiling(total.Ticks * warnShare));

    private static void CheckShare(double warnShare)
    {
        if (!(warnShare is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(warnShare), warnShare, "The warning share must be in (0, 1].");
        }
    }
}
