namespace Handoff.Core.Notifications.Email;

/// <summary>
/// One rendered e-mail: what <see cref="EmailRenderer"/> makes of a notice (or a digest), before anyone addresses or
/// sends it. Message ids are bare (<c>case.cs_1@handoff.example.com</c>); the sender adds the angle brackets.
/// </summary>
/// <param name="Subject">The subject line; the same for every mail about one case, so that clients threading by subject agree.</param>
/// <param name="PlainText">The <c>text/plain</c> part: the same content, readable in a terminal.</param>
/// <param name="Html">The <c>text/html</c> part: one self-contained document with inline styles (mail clients drop style sheets).</param>
/// <param name="MessageId">This mail's own Message-ID, stable for its event, so a retried delivery is recognisably the same mail.</param>
/// <param name="InReplyTo">The thread's root Message-ID for every mail about a case but the one opening its thread; null otherwise.</param>
/// <param name="References">The thread's root Message-ID when <paramref name="InReplyTo"/> is set; empty otherwise.</param>
public sealed record EmailContent(
    string Subject,
    string PlainText,
    string Html,
    string MessageId,
    string? InReplyTo,
    IReadOnlyList<string> References);
