using Handoff.Server.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Dashboard.Layout;

/// <summary>
/// What a person's bell lists: their own <c>dashboard</c> deliveries (target = their user id, in their workspace),
/// newest first, that were sent or are being sent. A delivery being sent counts: the channel's send is what wakes the
/// bell, a moment before the worker marks the delivery delivered. One not yet attempted (held back, or its node is
/// behind) shows once it is sent; a failed or cancelled one never shows.
/// </summary>
internal static class BellFeed
{
    /// <summary>How many notices the panel lists: the latest 20.</summary>
    public const int Shown = 20;

    /// <summary>The latest <see cref="Shown"/> notices, and whether there are older ones beyond them.</summary>
    public static async Task<(IReadOnlyList<BellNotice> Notices, bool More)> LatestAsync(IHandoffStore store, User person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(person);
        // Twice as many as shown, so that a few failed or unsent ones among the latest do not shorten the list.
        var deliveries = await store.ListDeliveriesAsync(
            person.WorkspaceId, new DeliveryQuery(Channel: DashboardChannel.Name, Target: person.Id, Limit: (Shown * 2) + 1), cancellationToken)
            .ConfigureAwait(false);
        var notices = new List<BellNotice>(Shown + 1);
        foreach (var d in deliveries)
        {
            if (notices.Count > Shown)
            {
                break;
            }

            // The store filters by workspace, channel and target already; checked again because showing one person's
            // notice to another would be the worst bug this list could have.
            if (d.WorkspaceId != person.WorkspaceId || d.Channel != DashboardChannel.Name || d.Target != person.Id
                || d.Status is DeliveryStatus.Failed or DeliveryStatus.Cancelled || (d.Status == DeliveryStatus.Pending && d.Attempts == 0))
            {
                continue;
            }

            if (DashboardNotice.Read(d.Body) is { } notice)
            {
                notices.Add(new BellNotice(
                    d.Id,
                    string.IsNullOrWhiteSpace(notice.Headline) ? notice.EventType : notice.Headline,
                    notice.Title ?? "",
                    SafeLink(notice.Link),
                    notice.At,
                    d.CreatedAt));
            }
        }

        // Newest first by when they were added: ids made within the same millisecond sort either way.
        notices.Sort(static (a, b) => b.Added != a.Added ? b.Added.CompareTo(a.Added) : string.CompareOrdinal(b.DeliveryId, a.DeliveryId));
        return notices.Count > Shown ? (notices.GetRange(0, Shown), true) : (notices, false);
    }

    /// <summary>
    /// The link when it goes somewhere a person may be sent: a path on this server or an http(s) address (the
    /// notification options' public URL). Anything else (<c>javascript:</c>, a protocol-relative <c>//host</c>) is
    /// dropped: the body was written by the server, but a link is not where to find out it was not.
    /// </summary>
    public static string? SafeLink(string? link)
    {
        if (string.IsNullOrWhiteSpace(link))
        {
            return null;
        }

        if (link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal) && !link.StartsWith("/\\", StringComparison.Ordinal))
        {
            return link;
        }

        return Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? link : null;
    }
}
