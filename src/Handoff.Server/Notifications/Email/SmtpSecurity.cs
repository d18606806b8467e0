namespace Handoff.Server.Notifications.Email;

/// <summary>How the connection to the SMTP server is protected (<see cref="SmtpOptions.Security"/>).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text throughout: only for a relay on the same machine or a trusted network (port 25).</summary>
    None,
    /// <summary>Connect in plain text, then upgrade with STARTTLS; fail when the server does not offer it (port 587).</summary>
    StartTls,
    /// <summary>
    /// Upgrade with STARTTLS when the server offers it, else go on in plain text. Open to a network attacker who strips
    /// the offer; prefer <see cref="StartTls"/> wherever the server supports it.
    /// </summary>
    StartTlsWhenAvailable,
    /// <summary>TLS from the first byte ("implicit TLS", SMTPS, port 465).</summary>
    SslOnConnect,
}
