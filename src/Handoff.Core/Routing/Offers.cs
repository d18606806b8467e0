using Handoff.Core.Cases;

namespace Handoff.Core.Routing;

/// <summary>
/// The rules for offering a case to one person at a time (push teams and live cases), in one place for every store:
/// each returns the case as the change leaves it, or null when the change is not allowed. Stores apply them
/// atomically with their audit entry, so of two nodes offering, accepting or expiring at once exactly one wins.
/// </summary>
public static class Offers
{
    /// <summary>
    /// Rings the case for <paramref name="to"/> until <paramref name="at"/> + <paramref name="timeout"/> (a live case no
    /// longer than its <see cref="HandoffCase.LiveUntil"/>). Allowed while the case is open, nobody holds it, no other
    /// offer is ringing and <paramref name="to"/> has not passed it over; an offer that has lapsed meanwhile counts as
    /// passed over by its person.
    /// </summary>
    public static HandoffCase? Offer(HandoffCase current, Actor to, DateTimeOffset at, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(to);
        if (!current.Status.IsOpen() || current.AssignedTo is not null || timeout <= TimeSpan.Zero)
        {
            return null;
        }

        var passedOver = current.PassedOver;
        if (current.Offer is { } ringing)
        {
            if (ringing.ExpiresAt > at)
            {
                return null;
            }

            passedOver = With(passedOver, ringing.To.Id);
        }

        if (passedOver?.Contains(to.Id, StringComparer.Ordinal) == true)
        {
            return null;
        }

        var live = current.IsLive() && current.LiveUntil > at;
        var expires = at + timeout;
        if (live && current.LiveUntil < expires)
        {
            expires = current.LiveUntil.Value;
        }

        return current with { Offer = new CaseOffer(to, at, expires, live), PassedOver = passedOver, UpdatedAt = at };
    }

    /// <summary>
    /// The person the case rings for takes it, before the offer lapses: it becomes theirs as a claim would make it
    /// (assigned, or still escalated). Anyone else, or after the offer lapsed, is refused and nothing changes.
    /// </summary>
    public static HandoffCase? Accept(HandoffCase current, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(by);
        if (!current.Status.IsOpen() || current.AssignedTo is not null
            || current.Offer is not { } offer || offer.To.Id != by.Id || at >= offer.ExpiresAt)
        {
            return null;
        }

        return current with
        {
            Offer = null,
            AssignedTo = by,
            AssignedAt = at,
            Status = current.Status == CaseStatus.Escalated ? CaseStatus.Escalated : CaseStatus.Assigned,
            UpdatedAt = at,
        };
    }

    /// <summary>The person the case rings for says no: the offer ends and they are not offered this case again.</summary>
    public static HandoffCase? Decline(HandoffCase current, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(by);
        if (!current.Status.IsOpen() || current.Offer is not { } offer || offer.To.Id != by.Id)
        {
            return null;
        }

        return current with { Offer = null, PassedOver = With(current.PassedOver, by.Id), UpdatedAt = at };
    }

    /// <summary>An offer nobody answered by its expiry ends; its person counts as having passed the case over.</summary>
    public static HandoffCase? Lapse(HandoffCase current, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Offer is not { } offer || offer.ExpiresAt > at)
        {
            return null;
        }

        return current with { Offer = null, PassedOver = With(current.PassedOver, offer.To.Id), UpdatedAt = at };
    }

    /// <summary>
    /// A live case nobody picked up by its <see cref="HandoffCase.LiveUntil"/> falls back to the queue: from now on it
    /// is a queued case, offered (push) or taken (pull) like any other.
    /// </summary>
    public static HandoffCase? FallBack(HandoffCase current, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!current.Status.IsOpen() || current.AssignedTo is not null || !current.IsLive() || current.LiveUntil > at)
        {
            return null;
        }

        return current with { LiveFallbackAt = at, UpdatedAt = at };
    }

    /// <summary>When the next offer-related thing falls due for this case: its offer lapsing, or its live wait ending.</summary>
    public static DateTimeOffset? NextDue(HandoffCase current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!current.Status.IsOpen())
        {
            return null;
        }

        var lapse = current.Offer?.ExpiresAt;
        var fallBack = current.AssignedTo is null && current.IsLive() ? current.LiveUntil : null;
        return lapse is null ? fallBack : fallBack is null ? lapse : lapse < fallBack ? lapse : fallBack;
    }

    private static string[] With(IReadOnlyList<string>? ids, string id) =>
        ids is null ? [id] : ids.Contains(id, StringComparer.Ordinal) ? [.. ids] : [.. ids, id];
}
