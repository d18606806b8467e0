using System.Globalization;
using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Email;
using Handoff.Storage;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Email;

/// <summary>
/// Writes the outbox bodies of <c>email</c> deliveries (<see cref="EmailEnvelope"/> JSON) for whoever fans events out
/// to people: the mail of one notice, and a person's daily digest. Message-IDs end in
/// <see cref="SmtpOptions.MessageIdDomainOrDefault"/>. Thread-safe; holds no state.
/// </summary>
internal sealed class EmailComposer(IOptions<SmtpOptions> options) : IEmailComposer
{
    private string Domain => options.Value.MessageIdDomainOrDefault;

    /// <summary>The mail that tells <paramref name="person"/> of <paramref name="notice"/>, the notice of event <paramref name="eventId"/>.</summary>
    public string Compose(CaseNotice notice, string eventId, User person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return EmailEnvelope.From(EmailRenderer.Render(notice, eventId, Domain), person.Name).ToJson();
    }

    /// <summary>The daily digest: the cases waiting for <paramref name="person"/> on their local <paramref name="date"/> (at least one).</summary>
    public string ComposeDigest(IReadOnlyList<CaseNotice> waiting, User person, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(person);
        return EmailEnvelope.From(EmailRenderer.RenderDigest(waiting, person.Name, date, DigestId(person.Id, date), Domain), person.Name).ToJson();
    }

    /// <summary>
    /// The id of <paramref name="personId"/>'s digest for <paramref name="date"/>, <c>digest_{person}_{yyyy-MM-dd}</c>: one
    /// per person and day, which its Message-ID is made of.
    /// </summary>
    public static string DigestId(string personId, DateOnly date) =>
        $"digest_{personId}_{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
