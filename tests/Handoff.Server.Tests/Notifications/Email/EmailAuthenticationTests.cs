using static Handoff.Server.Tests.Notifications.Email.TestEmails;

namespace Handoff.Server.Tests.Notifications.Email;

/// <summary>The e-mail channel against a real SMTP server that takes mail only from an authenticated user.</summary>
public sealed class EmailAuthenticationTests(SmtpSinkWithAuth sink) : IClassFixture<SmtpSinkWithAuth>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_WithTheRightPassword_Authenticates_AndArrives()
    {
        var smtp = Options(sink.Port);
        smtp.UserName = SmtpSinkWithAuth.UserName;
        smtp.Password = SmtpSinkWithAuth.Password;
        var riley = Person();

        var outcome = await Channel(smtp).SendAsync(Message(riley.Email, Composer(smtp).Compose(Notice(), "evt_7_1", riley)), Ct);

        Assert.True(outcome.Delivered, outcome.Error);
        Assert.Equal(SmtpSinkWithAuth.UserName, (await sink.ReceivedAsync(riley.Email)).Login);
    }

    [Fact]
    public async Task SendAsync_WithAWrongPassword_FailsNamingTheUser_AndIsRetried()
    {
        var smtp = Options(sink.Port);
        smtp.UserName = SmtpSinkWithAuth.UserName;
        smtp.Password = "wrong";
        var riley = Person();

        var outcome = await Channel(smtp).SendAsync(Message(riley.Email, Composer(smtp).Compose(Notice(), "evt_7_1", riley)), Ct);

        Assert.False(outcome.Delivered);
        Assert.False(outcome.Permanent);
        Assert.StartsWith($"SMTP authentication failed for user {SmtpSinkWithAuth.UserName} at 127.0.0.1:{sink.Port}", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WithoutCredentials_ToAServerThatRequiresThem_FailsSayingWhatToSet()
    {
        var smtp = Options(sink.Port);
        var riley = Person();

        var outcome = await Channel(smtp).SendAsync(Message(riley.Email, Composer(smtp).Compose(Notice(), "evt_7_1", riley)), Ct);

        Assert.False(outcome.Delivered);
        Assert.False(outcome.Permanent);
        Assert.Contains("requires authentication: set Handoff:Smtp:UserName and Password", outcome.Error, StringComparison.Ordinal);
    }
}
