namespace Handoff.Server.Notifications.Email;

/// <summary>
/// Where and how the e-mail channel sends: configuration section <c>Handoff:Smtp</c> (environment
/// <c>Handoff__Smtp__Host=…</c>). Without a <see cref="Host"/> e-mail is off: the channel gives up every e-mail delivery
/// at once, saying so. Validated on start when a host is set.
/// </summary>
public sealed class SmtpOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string Section = "Handoff:Smtp";

    /// <summary>The SMTP server's host name or address. <value>The default value is null: e-mail is not configured.</value></summary>
    public string? Host { get; set; }

    /// <summary>
    /// The SMTP server's port. <value>The default value is null: 465 with <see cref="SmtpSecurity.SslOnConnect"/>, 587 with
    /// <see cref="SmtpSecurity.StartTls"/>, 25 otherwise.</value>
    /// </summary>
    public int? Port { get; set; }

    /// <summary>How the connection is protected. <value>The default value is <see cref="SmtpSecurity.StartTls"/>: never plain text by surprise.</value></summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>The user to authenticate as. <value>The default value is null: no authentication (a relay that trusts this machine).</value></summary>
    public string? UserName { get; set; }

    /// <summary>The password (or API key) of <see cref="UserName"/>. Keep it in an environment variable or a secret store, not in a file in the repository.</summary>
    public string? Password { get; set; }

    /// <summary>The sender's address, e.g. <c>handoff@example.com</c>. Required with a <see cref="Host"/>.</summary>
    public string? From { get; set; }

    /// <summary>The sender's display name. <value>The default value is <c>Handoff</c>.</value></summary>
    public string? FromName { get; set; } = "Handoff";

    /// <summary>
    /// The longest one delivery may take, from connecting to the server's answer to the mail; the attempt then fails
    /// and is retried. <value>The default value is 30 seconds.</value>
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most SMTP sessions one node holds open at once (providers limit simultaneous connections; Exchange Online
    /// to 3 per mailbox). Other mails wait their turn. <value>The default value is 3.</value>
    /// </summary>
    public int MaxConnections { get; set; } = 3;

    /// <summary>
    /// The host name after the <c>@</c> of the Message-IDs Handoff writes (which thread a case's mails).
    /// <value>The default value is null: the domain of <see cref="From"/>.</value>
    /// </summary>
    public string? MessageIdDomain { get; set; }

    /// <summary>Whether e-mail is configured (has a <see cref="Host"/>).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Host))]
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The port connected to: <see cref="Port"/>, or the usual one for <see cref="Security"/>.</summary>
    public int PortOrDefault => Port ?? Security switch
    {
        SmtpSecurity.SslOnConnect => 465,
        SmtpSecurity.StartTls => 587,
        _ => 25,
    };

    /// <summary>
    /// The domain of Message-IDs: <see cref="MessageIdDomain"/>, else the domain of <see cref="From"/>, else
    /// <c>localhost</c> (e-mail not configured: the mails are given up unsent anyway).
    /// </summary>
    public string MessageIdDomainOrDefault =>
        !string.IsNullOrWhiteSpace(MessageIdDomain) ? MessageIdDomain.Trim()
        : MimeKit.MailboxAddress.TryParse(From ?? "", out var from) && from.Domain is { Length: > 0 } domain ? domain
        : "localhost";
}
