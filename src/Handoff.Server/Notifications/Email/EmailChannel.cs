using System.Globalization;
using System.Net.Sockets;
using Handoff.Core.Notifications.Email;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Handoff.Server.Notifications.Email;

/// <summary>
/// Sends <c>email</c> outbox messages: the body is an <see cref="EmailEnvelope"/>, the target the recipient's address.
/// Each attempt is one SMTP session (connect, authenticate, send, quit) bounded by <see cref="SmtpOptions.Timeout"/>;
/// notification mail is rare enough that a pool of connections would only add state to go stale. Never throws for a
/// failure: an SMTP server that is down, slow, refuses the password or says "try later" fails the attempt, which is
/// retried; a recipient or a message the server refuses for good (5xx), or a body that is no e-mail, gives up at once.
/// </summary>
internal sealed partial class EmailChannel(IOptions<SmtpOptions> options, TimeProvider time, ILogger<EmailChannel> logger) : IDeliveryChannel, IDisposable
{
    public const string Name = "email";

    // At most MaxConnections sessions at once, whatever the delivery worker's parallelism.
    private readonly SemaphoreSlim _sessions = new(options.Value.MaxConnections, options.Value.MaxConnections);

    /// <summary>
    /// The longest a mail waits for one of the node's <see cref="SmtpOptions.MaxConnections"/> sessions. With the SMTP
    /// <see cref="SmtpOptions.Timeout"/> (30 s) it stays inside the delivery lease (60 s).
    /// </summary>
    internal static readonly TimeSpan SessionWait = TimeSpan.FromSeconds(20);

    /// <summary>The longest part of the server's answer kept in the delivery log.</summary>
    private const int MaxExcerpt = 300;

    public string Channel => Name;

    public async Task<DeliveryOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var smtp = options.Value;
        if (!smtp.IsConfigured)
        {
            return DeliveryOutcome.Failed($"e-mail is not configured ({SmtpOptions.Section}:Host)", TimeSpan.Zero, permanent: true);
        }

        if (EmailEnvelope.Read(message.Body) is not { } envelope)
        {
            return DeliveryOutcome.Failed("the message's body is not an e-mail (an EmailEnvelope)", TimeSpan.Zero, permanent: true);
        }

        if (!MailboxAddress.TryParse(message.Target, out var to) || !to.Address.Contains('@', StringComparison.Ordinal))
        {
            return DeliveryOutcome.Failed($"'{message.Target}' is not an e-mail address", TimeSpan.Zero, permanent: true);
        }

        // Checked on start; a sender that is still wrong here (options built by hand) is the configuration's to fix.
        if (!MailboxAddress.TryParse(smtp.From ?? "", out var from))
        {
            return DeliveryOutcome.Failed($"{SmtpOptions.Section}:From '{smtp.From}' is not an e-mail address", TimeSpan.Zero);
        }

        if (!string.IsNullOrWhiteSpace(smtp.FromName))
        {
            from.Name = smtp.FromName;
        }

        var mail = Mail(message, envelope, from, new MailboxAddress(envelope.ToName ?? to.Name, to.Address));
        // A session is waited for at most SessionWait (on the injected clock), so that with the SMTP timeout the attempt
        // ends well inside its lease: a mail still waiting when its lease ran out would be sent twice.
        using (var waiting = new CancellationTokenSource(SessionWait, time))
        using (var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waiting.Token))
        {
            try
            {
                await _sessions.WaitAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return DeliveryOutcome.Failed(
                    $"all {smtp.MaxConnections} SMTP sessions of this node stayed busy for {SessionWait.TotalSeconds:0} s; the mail is tried again later", SessionWait);
            }
        }

        try
        {
            return await SendAsync(smtp, message, envelope, mail, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sessions.Release();
        }
    }

    public void Dispose() => _sessions.Dispose();

    private async Task<DeliveryOutcome> SendAsync(SmtpOptions smtp, OutboundMessage message, EmailEnvelope envelope, MimeMessage mail, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        // The deadline runs on the injected clock, so the timeout is tested without waiting for it.
        using var deadline = new CancellationTokenSource(smtp.Timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        string response;
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.PortOrDefault, Secure(smtp.Security), attempt.Token).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", attempt.Token).ConfigureAwait(false);
            }

            response = await client.SendAsync(mail, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever went wrong is this attempt's failure, described for the delivery log; the contract is not to throw.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Failure(e, smtp, message.Target, time.GetElapsedTime(started));
        }

        var latency = time.GetElapsedTime(started);
        await QuitAsync(client, message.Id.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        LogSent(logger, envelope.MessageId, message.Target, response);
        return DeliveryOutcome.Ok(250, latency, Excerpt(response), reference: envelope.MessageId);
    }

    private MimeMessage Mail(OutboundMessage message, EmailEnvelope envelope, MailboxAddress from, MailboxAddress to)
    {
        var mail = new MimeMessage
        {
            Subject = envelope.Subject,
            MessageId = envelope.MessageId,
            Date = time.GetUtcNow(),
            Body = new MultipartAlternative
            {
                // Least preferred first (RFC 2046): clients that can show HTML show the last part.
                new TextPart(MimeKit.Text.TextFormat.Plain) { Text = envelope.Text },
                new TextPart(MimeKit.Text.TextFormat.Html) { Text = envelope.Html },
            },
        };
        mail.From.Add(from);
        mail.To.Add(to);
        if (envelope.InReplyTo is { } inReplyTo)
        {
            mail.InReplyTo = inReplyTo;
        }

        foreach (var reference in envelope.References)
        {
            mail.References.Add(reference);
        }

        // A machine's mail: out-of-office replies and other auto-responders stay quiet (RFC 3834; Exchange's own header).
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        mail.Headers.Add("X-Auto-Response-Suppress", "All");
        // For people's mail filters: which event, about which case.
        mail.Headers.Add("X-Handoff-Event", message.EventType);
        if (!string.IsNullOrEmpty(message.CaseId))
        {
            mail.Headers.Add("X-Handoff-Case", message.CaseId);
        }

        return mail;
    }

    // The server took the mail with its answer to DATA: a failure to say goodbye afterwards is no failure of the delivery.
    private async Task QuitAsync(SmtpClient client, string deliveryId)
    {
        try
        {
            using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            await client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // See above: nothing to do about it but note it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogQuitFailed(logger, deliveryId, e);
        }
    }

    private static DeliveryOutcome Failure(Exception e, SmtpOptions smtp, string recipient, TimeSpan latency)
    {
        var server = $"{smtp.Host}:{smtp.PortOrDefault}";
        return e switch
        {
            AuthenticationException =>
                DeliveryOutcome.Failed($"SMTP authentication failed for user {smtp.UserName} at {server}: {e.Message}", latency),
            ServiceNotAuthenticatedException =>
                DeliveryOutcome.Failed($"the SMTP server {server} requires authentication: set {SmtpOptions.Section}:UserName and Password", latency, 530),
            SmtpCommandException command => Refused(command, smtp, recipient, server, latency),
            OperationCanceledException or TimeoutException =>
                DeliveryOutcome.Failed(string.Create(CultureInfo.InvariantCulture, $"timed out after {smtp.Timeout.TotalSeconds:0.#} s talking to the SMTP server {server}"), latency),
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
                DeliveryOutcome.Failed($"connection to the SMTP server {server} refused", latency),
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } =>
                DeliveryOutcome.Failed($"the SMTP server's host {smtp.Host} was not found", latency),
            SocketException { SocketErrorCode: SocketError.TimedOut } =>
                DeliveryOutcome.Failed($"timed out connecting to the SMTP server {server}", latency),
            SslHandshakeException =>
                DeliveryOutcome.Failed($"TLS with the SMTP server {server} failed ({smtp.Security}): {FirstLine(e.Message)}", latency),
            // MailKit's words for a missing extension are clear: "The SMTP server does not support the STARTTLS extension."
            NotSupportedException =>
                DeliveryOutcome.Failed($"{e.Message.TrimEnd('.')} ({server}, security {smtp.Security})", latency),
            SmtpProtocolException or ProtocolException =>
                DeliveryOutcome.Failed($"the SMTP server {server} broke off the conversation: {e.Message}", latency),
            _ => DeliveryOutcome.Failed($"sending through the SMTP server {server} failed: {e.Message}", latency),
        };
    }

    // 5xx is the server's final word; 4xx asks to come back later (RFC 5321 4.2.1). Only a refusal of this recipient
    // or of this message is final for the delivery: a refused sender is the configuration's, which an operator fixes.
    private static DeliveryOutcome Refused(SmtpCommandException e, SmtpOptions smtp, string recipient, string server, TimeSpan latency)
    {
        var code = (int)e.StatusCode;
        var final = code is >= 500 and < 600;
        var said = $"{code} {FirstLine(e.Message)}";
        return e.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted =>
                DeliveryOutcome.Failed($"the SMTP server {(final ? "refused" : "did not take, for now,")} the recipient {recipient}: {said}", latency, code, permanent: final),
            SmtpErrorCode.MessageNotAccepted =>
                DeliveryOutcome.Failed($"the SMTP server {(final ? "refused" : "did not take, for now,")} the message: {said}", latency, code, permanent: final),
            SmtpErrorCode.SenderNotAccepted when e.StatusCode == SmtpStatusCode.AuthenticationRequired =>
                DeliveryOutcome.Failed($"the SMTP server {server} requires authentication: set {SmtpOptions.Section}:UserName and Password", latency, code),
            SmtpErrorCode.SenderNotAccepted =>
                DeliveryOutcome.Failed($"the SMTP server {server} refused the sender {smtp.From}: {said}", latency, code),
            _ => DeliveryOutcome.Failed($"the SMTP server {server} answered {said}", latency, code),
        };
    }

    private static SecureSocketOptions Secure(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    private static string FirstLine(string text) => text.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();

    private static string? Excerpt(string? response) =>
        string.IsNullOrEmpty(response) ? null : response.Length <= MaxExcerpt ? response : string.Concat(response.AsSpan(0, MaxExcerpt - 1), "…");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent mail {MessageId} to {Recipient}: {Response}")]
    private static partial void LogSent(ILogger logger, string messageId, string recipient, string response);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId} was sent, but quitting the SMTP session failed")]
    private static partial void LogQuitFailed(ILogger logger, string deliveryId, Exception exception);
}
