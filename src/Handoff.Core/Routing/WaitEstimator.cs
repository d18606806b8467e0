using System.Globalization;
using Handoff.Core.Cases;

namespace Handoff.Core.Routing;

/// <summary>
/// The expected wait for a new case, from how long recent cases waited: what an agent tells a customer ("a person will
/// join in about 3 minutes") and what the API returns with every case a person must see.
/// </summary>
/// <remarks>
/// <para>Method: take the pick-ups accepted within <see cref="WaitEstimateOptions.Window"/> before <c>now</c> at the
/// case's team and priority, keep the latest <see cref="WaitEstimateOptions.MaxSamples"/>, and answer their median
/// wait (nearest rank: of n waits sorted ascending, the one at rank ⌈n/2⌉, always a measured wait). With fewer than
/// <see cref="WaitEstimateOptions.MinSamples"/> of them, do the same for the team across priorities; with fewer still,
/// answer <see cref="WaitEstimateOptions.Fallback"/> and say so.</para>
/// <para>A median of past waits reflects the queue as it has been. When the caller says how many cases are ahead of
/// this one, the team's recent pace (its pick-ups in the window, all priorities, spread evenly over the window) says how
/// long taking them and then this one would take; when that is longer than the median, it is the estimate instead, so
/// a long queue is not answered with a short, typical wait. Either way it is the past carried forward: it knows nothing
/// of who is about to sign in or leave.</para>
/// </remarks>
public static class WaitEstimator
{
    /// <summary>
    /// The expected wait for a case at <paramref name="team"/> and <paramref name="priority"/> queued at
    /// <paramref name="now"/>, from <paramref name="recent"/> (any order; other teams and older pick-ups are ignored).
    /// <paramref name="casesAhead"/>, when known, is how many queued cases of the team would be taken before it.
    /// </summary>
    public static WaitEstimate Estimate(
        IEnumerable<PickUp> recent, string team, Priority priority, DateTimeOffset now, int? casesAhead = null, WaitEstimateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recent);
        ArgumentNullException.ThrowIfNull(team);
        options ??= WaitEstimateOptions.Default;
        options.Validate();
        var since = now - options.Window;
        var atTeam = recent.Where(p => p.Team == team && p.AcceptedAt > since && p.AcceptedAt <= now).ToList();
        var atPriority = atTeam.Where(p => p.Priority == priority).ToList();
        var window = Format(options.Window);
        var priorityName = priority.ToString().ToLowerInvariant();

        WaitEstimate estimate;
        if (atPriority.Count >= options.MinSamples)
        {
            var (median, n) = Median(atPriority, options.MaxSamples);
            estimate = new(median, WaitBasis.TeamAndPriority, n, $"median of {Plural(n, "pick-up")} at team {team}, priority {priorityName}, in the last {window}");
        }
        else if (atTeam.Count >= options.MinSamples)
        {
            var (median, n) = Median(atTeam, options.MaxSamples);
            estimate = new(median, WaitBasis.Team, n,
                $"median of {Plural(n, "pick-up")} at team {team} across priorities (too few at priority {priorityName}), in the last {window}");
        }
        else
        {
            var seen = atTeam.Count == 0 ? "no pick-ups" : $"only {Plural(atTeam.Count, "pick-up")}";
            return new(options.Fallback, WaitBasis.Default, 0, $"{seen} at team {team} in the last {window}; the default estimate of {Format(options.Fallback)}");
        }

        if (casesAhead is > 0 and var ahead)
        {
            // The team took atTeam.Count cases in the window; at that pace this case is taken with the (ahead + 1)th.
            var clear = TimeSpan.FromTicks((long)Math.Ceiling((double)options.Window.Ticks * (ahead + 1) / atTeam.Count));
            if (clear > estimate.Expected)
            {
                return new(clear, WaitBasis.QueuePace, atTeam.Count,
                    $"{Plural(ahead, "case")} ahead at team {team}'s pace of {Plural(atTeam.Count, "pick-up")} in the last {window} " +
                    $"(longer than the {estimate.Explanation}: {Format(estimate.Expected)})");
            }
        }

        return estimate;
    }

    private static (TimeSpan Median, int Count) Median(List<PickUp> pickUps, int maxSamples)
    {
        pickUps.Sort((a, b) => b.AcceptedAt.CompareTo(a.AcceptedAt));
        var waits = pickUps.Take(maxSamples).Select(p => p.Wait < TimeSpan.Zero ? TimeSpan.Zero : p.Wait).Order().ToArray();
        return (waits[(waits.Length + 1) / 2 - 1], waits.Length);
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>A duration as people say it: "45 s", "12 min", "2 h", "1 h 43 min".</summary>
    internal static string Format(TimeSpan duration)
    {
        var culture = CultureInfo.InvariantCulture;
        if (duration < TimeSpan.FromMinutes(1))
        {
            return string.Create(culture, $"{(int)Math.Ceiling(duration.TotalSeconds)} s");
        }

        var minutes = (long)Math.Round(duration.TotalMinutes, MidpointRounding.AwayFromZero);
        if (minutes < 60)
        {
            return string.Create(culture, $"{minutes} min");
        }

        return minutes % 60 == 0
            ? string.Create(culture, $"{minutes / 60} h")
            : string.Create(culture, $"{minutes / 60} h {minutes % 60} min");
    }
}
