using System.Text.Json;

namespace Handoff.Core.Notifications.Email;

/// <summary>
/// The body of an <c>email</c> outbox message: the rendered mail, as JSON, written when its event is fanned out so
/// that every attempt sends the very same mail (the same Message-ID, which lets a receiver drop a duplicate). The
/// recipient's address is the message's target, not part of the body.
/// </summary>
/// <param name="Subject">The subject line.</param>
/// <param name="Text">The <c>text/plain</c> part.</param>
/// <param name="Html">The <c>text/html</c> part.</param>
/// <param name="MessageId">The mail's Message-ID, bare (no angle brackets).</param>
/// <param name="InReplyTo">The Message-ID it answers, bare, or null.</param>
/// <param name="References">The Message-IDs of its thread, bare, oldest first.</param>
/// <param name="ToName">The recipient's display name for the <c>To</c> header, or null for the address alone.</param>
public sealed record EmailEnvelope(
    string Subject,
    string Text,
    string Html,
    string MessageId,
    string? InReplyTo,
    IReadOnlyList<string> References,
    string? ToName = null)
{
    /// <summary>The envelope of <paramref name="content"/>, addressed to <paramref name="toName"/>.</summary>
    public static EmailEnvelope From(EmailContent content, string? toName = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new(content.Subject, content.PlainText, content.Html, content.MessageId, content.InReplyTo, content.References,
            string.IsNullOrWhiteSpace(toName) ? null : toName.Trim());
    }

    /// <summary>The outbox body: <c>{"subject", "text", "html", "messageId", "inReplyTo", "references", "toName"}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, HandoffJson.Options);

    /// <summary>The envelope an outbox body holds, or null when it is not one (not JSON, or a required part missing).</summary>
    public static EmailEnvelope? Read(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var envelope = JsonSerializer.Deserialize<EmailEnvelope>(body, HandoffJson.Options);
            // The deserializer leaves a missing constructor argument null whatever its annotation says.
            return envelope is { Subject: not null, Text: not null, Html: not null, MessageId.Length: > 0 }
                ? envelope with { References = envelope.References ?? [] }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
