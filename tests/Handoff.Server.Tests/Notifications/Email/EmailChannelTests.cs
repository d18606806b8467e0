using Handoff.Core.Notifications;
using Handoff.Server.Notifications.Email;
using MimeKit;
using static Handoff.Server.Tests.Notifications.Email.TestEmails;

namespace Handoff.Server.Tests.Notifications.Email;

/// <summary>The e-mail channel against a real SMTP server (aiosmtpd in a child process, one for the class).</summary>
public sealed class EmailChannelTests(SmtpSink sink) : IClassFixture<SmtpSink>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_ANotice_ArrivesAsTextAndHtml_WithTheDeepLinkAndTheCaseEscaped()
    {
        var smtp = Options(sink.Port);
        var riley = Person();
        var notice = Notice() with { Title = "Refund <script>alert(1)</script> now" };
        var body = Composer(smtp).Compose(notice, "evt_7_1", riley);

        var outcome = await Channel(smtp).SendAsync(Message(riley.Email, body), Ct);

        Assert.True(outcome.Delivered, outcome.Error);
        Assert.Equal((250, "evt_7_1.cs_1@handoff.test"), (outcome.StatusCode, outcome.Reference));
        var received = await sink.ReceivedAsync(riley.Email);
        var mail = received.Message;
        Assert.Equal(From, received.MailFrom);
        Assert.Equal([riley.Email], received.Recipients);
        Assert.Equal("\"Handoff\" <handoff@handoff.test>", mail.From.ToString());
        Assert.Equal($"\"Riley Reviewer\" <{riley.Email}>", mail.To.ToString());
        Assert.Equal("[Handoff] Refund <script>alert(1)</script> now", mail.Subject);
        Assert.Equal("evt_7_1.cs_1@handoff.test", mail.MessageId);
        Assert.Equal(At, mail.Date);
        var alternative = Assert.IsType<MultipartAlternative>(mail.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(static p => p.ContentType.MimeType));
        Assert.Contains("Open in Handoff: https://handoff.example.com/cases/cs_1", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://handoff.example.com/cases/cs_1\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Refund &lt;script&gt;alert(1)&lt;/script&gt; now", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("1 h 5 min left", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Dana Fischer", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(
            ("auto-generated", "All", EventTypes.CaseEscalated, "cs_1"),
            (mail.Headers["Auto-Submitted"], mail.Headers["X-Auto-Response-Suppress"], mail.Headers["X-Handoff-Event"], mail.Headers["X-Handoff-Case"]));
    }

    [Fact]
    public async Task SendAsync_TwoMailsAboutOneCase_TheSecondAnswersTheFirst()
    {
        var smtp = Options(sink.Port);
        var riley = Person();
        var composer = Composer(smtp);
        var channel = Channel(smtp);

        var created = await channel.SendAsync(
            Message(riley.Email, composer.Compose(Notice(EventTypes.CaseCreated), "evt_7_0", riley), EventTypes.CaseCreated, eventId: "evt_7_0"), Ct);
        var first = (await sink.ReceivedAsync(riley.Email)).Message;
        var offered = await channel.SendAsync(
            Message(riley.Email, composer.Compose(Notice(EventTypes.CaseOffered), "evt_9_0", riley), EventTypes.CaseOffered, eventId: "evt_9_0"), Ct);
        var second = (await sink.ReceivedAsync(riley.Email)).Message;

        Assert.True(created.Delivered && offered.Delivered, created.Error ?? offered.Error);
        Assert.Equal("case.cs_1@handoff.test", first.MessageId);
        Assert.Null(first.InReplyTo);
        Assert.Empty(first.References);
        Assert.Equal("evt_9_0.cs_1@handoff.test", second.MessageId);
        Assert.Equal(first.MessageId, second.InReplyTo);
        Assert.Equal<string>(["case.cs_1@handoff.test"], second.References);
        Assert.Equal(first.Subject, second.Subject);
    }

    [Fact]
    public async Task SendAsync_ADigest_ArrivesWithEveryCaseLinked()
    {
        var smtp = Options(sink.Port);
        var riley = Person();
        var body = Composer(smtp).ComposeDigest([Notice(), Notice(caseId: "cs_2") with { Title = "Cancel order A-1" }], riley, new DateOnly(2026, 3, 2));

        var outcome = await Channel(smtp).SendAsync(Message(riley.Email, body, "digest", caseId: null, eventId: "digest_usr_riley_2026-03-02"), Ct);

        Assert.True(outcome.Delivered, outcome.Error);
        var mail = (await sink.ReceivedAsync(riley.Email)).Message;
        Assert.Equal("[Handoff] 2 cases wait for you (Monday 2 March)", mail.Subject);
        Assert.Equal("digest_usr_riley_2026-03-02.digest@handoff.test", mail.MessageId);
        Assert.Null(mail.Headers["X-Handoff-Case"]);
        foreach (var id in new[] { "cs_1", "cs_2" })
        {
            Assert.Contains($"https://handoff.example.com/cases/{id}", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"https://handoff.example.com/cases/{id}\"", mail.HtmlBody, StringComparison.Ordinal);
        }

        Assert.Contains("Hello Riley Reviewer,", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Cancel order A-1", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ARecipientTheServerRefuses_IsGivenUpForGood()
    {
        var smtp = Options(sink.Port);
        var nobody = Person("reject");

        var outcome = await Channel(smtp).SendAsync(Message(nobody.Email, Composer(smtp).Compose(Notice(), "evt_7_1", nobody)), Ct);

        Assert.False(outcome.Delivered);
        Assert.True(outcome.Permanent);
        Assert.Equal(550, outcome.StatusCode);
        Assert.Contains($"refused the recipient {nobody.Email}: 550", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ARecipientTheServerDefers_IsRetried()
    {
        var smtp = Options(sink.Port);
        var busy = Person("busy");

        var outcome = await Channel(smtp).SendAsync(Message(busy.Email, Composer(smtp).Compose(Notice(), "evt_7_1", busy)), Ct);

        Assert.False(outcome.Delivered);
        Assert.False(outcome.Permanent);
        Assert.Equal(451, outcome.StatusCode);
        Assert.Contains($"did not take, for now, the recipient {busy.Email}: 451", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_StartTlsRequired_ByAServerWithoutIt_FailsSayingSo_AndSendsNothingInPlainText()
    {
        var smtp = Options(sink.Port);
        smtp.Security = SmtpSecurity.StartTls;
        var riley = Person();

        var outcome = await Channel(smtp).SendAsync(Message(riley.Email, Composer(smtp).Compose(Notice(), "evt_7_1", riley)), Ct);

        Assert.False(outcome.Delivered);
        Assert.False(outcome.Permanent);
        Assert.Contains("STARTTLS", outcome.Error, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{sink.Port}", outcome.Error, StringComparison.Ordinal);
    }
}
