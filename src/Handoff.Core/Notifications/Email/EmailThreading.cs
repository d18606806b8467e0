namespace Handoff.Core.Notifications.Email;

/// <summary>
/// How the mails about one case group into one conversation in every client. Each case has a root Message-ID,
/// <c>case.{caseId}@{domain}</c>, derived from nothing but the case: the mail of the event that opens the case's
/// story (<see cref="EventTypes.CaseCreated"/>) carries it as its own Message-ID, and every other mail about the case
/// names it in <c>In-Reply-To</c> and <c>References</c>. Clients that thread by those headers (Thunderbird, Apple Mail)
/// group the mails even when a recipient never got the opening one; the subject stays the same for clients that lean
/// on it (Gmail, Outlook). Pure: the same inputs give the same ids on every node and every attempt.
/// </summary>
public static class EmailThreading
{
    /// <summary>
    /// Whether the mail for <paramref name="eventType"/> opens its case's thread (carries the root Message-ID).
    /// Only <see cref="EventTypes.CaseCreated"/> does: it happens once per case, so two different mails never share
    /// the root id (a client keeps one of two mails with the same Message-ID and hides the other).
    /// </summary>
    public static bool OpensThread(string eventType) => eventType == EventTypes.CaseCreated;

    /// <summary>The root Message-ID of <paramref name="caseId"/>'s thread: <c>case.{caseId}@{domain}</c>.</summary>
    public static string RootMessageId(string caseId, string domain)
    {
        ArgumentException.ThrowIfNullOrEmpty(caseId);
        return $"case.{Atom(caseId)}@{Domain(domain)}";
    }

    /// <summary>
    /// The Message-ID of the mail telling of event <paramref name="eventId"/> about <paramref name="subjectId"/> (the
    /// case, or the workspace for events about no case): <c>{eventId}.{subjectId}@{domain}</c>. Every recipient of
    /// one event gets the same id, which is right: it is one message, sent to several people.
    /// </summary>
    public static string MessageId(string eventId, string subjectId, string domain)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentException.ThrowIfNullOrEmpty(subjectId);
        return $"{Atom(eventId)}.{Atom(subjectId)}@{Domain(domain)}";
    }

    /// <summary>
    /// The domain part of Handoff's Message-IDs, checked: a host name such as <c>handoff.example.com</c>.
    /// </summary>
    /// <exception cref="ArgumentException">It is empty or holds characters a Message-ID's domain cannot.</exception>
    public static string Domain(string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        if (!domain.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{domain}' is not a host name to use in Message-IDs.", nameof(domain));
        }

        return domain.ToLowerInvariant();
    }

    // Handoff's ids (cs_…, evt_12_0, usr_…) are letters, digits and underscores already; anything else a caller
    // passes is replaced, so that the id stays one dot-atom (RFC 5322) whatever it holds.
    private static string Atom(string id) =>
        string.Create(id.Length, id, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+' or '=' ? c : '-';
            }
        });
}
