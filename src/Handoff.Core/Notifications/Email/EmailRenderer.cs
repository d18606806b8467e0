using System.Globalization;

namespace Handoff.Core.Notifications.Email;

/// <summary>
/// Renders what Handoff mails to people: one notice (a case needs a person, was decided, breached its SLA…) or a
/// daily digest of the cases waiting for someone. Pure and deterministic: the same notice, event id and domain give
/// the same mail, byte for byte, on every node and every attempt. Every text from a case is escaped; time left is
/// counted from the notice's <see cref="CaseNotice.At"/>, never from a clock.
/// </summary>
public static partial class EmailRenderer
{
    /// <summary>What every subject starts with, so that people can filter Handoff's mail.</summary>
    public const string SubjectPrefix = "[Handoff]";

    /// <summary>
    /// The mail telling of <paramref name="notice"/>. Its subject is <c>[Handoff] {title}</c> for every event about the
    /// case; its ids thread it with the case's other mails (see <see cref="EmailThreading"/>). A notice about no case
    /// (<see cref="CaseNotice.CaseId"/> empty: autonomy changed, an endpoint disabled) is threaded with nothing and its
    /// subject is its headline.
    /// </summary>
    /// <param name="eventId">The event's stable id (<c>evt_…</c>), which the mail's Message-ID is made of.</param>
    /// <param name="domain">The host name for Message-IDs, e.g. <c>handoff.example.com</c>.</param>
    public static EmailContent Render(CaseNotice notice, string eventId, string domain)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        domain = EmailThreading.Domain(domain);
        var aboutACase = notice.CaseId.Length > 0;
        var subject = $"{SubjectPrefix} {EmailWords.OneLine(aboutACase ? notice.Title : notice.Headline)}";
        string messageId;
        string? inReplyTo = null;
        if (!aboutACase)
        {
            messageId = EmailThreading.MessageId(eventId, notice.WorkspaceId, domain);
        }
        else if (EmailThreading.OpensThread(notice.EventType))
        {
            messageId = EmailThreading.RootMessageId(notice.CaseId, domain);
        }
        else
        {
            messageId = EmailThreading.MessageId(eventId, notice.CaseId, domain);
            inReplyTo = EmailThreading.RootMessageId(notice.CaseId, domain);
        }

        return new EmailContent(subject, NoticeText(notice), NoticeHtml(notice, subject), messageId, inReplyTo, inReplyTo is null ? [] : [inReplyTo]);
    }

    /// <summary>
    /// The daily digest for one person: <c>[Handoff] 3 cases wait for you (Monday 2 March)</c>, with a table of the
    /// cases in the order given, each linked, with its priority and time left (from its notice's
    /// <see cref="CaseNotice.At"/>). Threaded with nothing: each day's digest stands alone.
    /// </summary>
    /// <param name="waiting">The cases, at least one: nobody is sent an empty digest.</param>
    /// <param name="recipientName">Whom it greets, or null for no greeting.</param>
    /// <param name="date">The recipient's local date the digest is for.</param>
    /// <param name="digestId">The digest's stable id (e.g. <c>digest_usr_1_2026-03-02</c>), which its Message-ID is made of.</param>
    /// <param name="domain">The host name for Message-IDs.</param>
    /// <exception cref="ArgumentException"><paramref name="waiting"/> is empty.</exception>
    public static EmailContent RenderDigest(IReadOnlyList<CaseNotice> waiting, string? recipientName, DateOnly date, string digestId, string domain)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentException.ThrowIfNullOrEmpty(digestId);
        if (waiting.Count == 0)
        {
            throw new ArgumentException("A digest lists at least one case.", nameof(waiting));
        }

        domain = EmailThreading.Domain(domain);
        var heading = waiting.Count == 1 ? "1 case waits for you" : string.Create(CultureInfo.InvariantCulture, $"{waiting.Count} cases wait for you");
        var day = date.ToString("dddd d MMMM", CultureInfo.InvariantCulture);
        var subject = $"{SubjectPrefix} {heading} ({day})";
        var name = string.IsNullOrWhiteSpace(recipientName) ? null : EmailWords.OneLine(recipientName);
        return new EmailContent(
            subject,
            DigestText(waiting, heading, name, date),
            DigestHtml(waiting, heading, name, date, subject),
            EmailThreading.MessageId(digestId, "digest", domain),
            null,
            []);
    }

    private static string LongDate(DateOnly date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);
}
