using System.Net;
using System.Net.Sockets;
using Handoff.Server.Notifications.Email;
using Microsoft.Extensions.Time.Testing;
using static Handoff.Server.Tests.Notifications.Email.TestEmails;

namespace Handoff.Server.Tests.Notifications.Email;

/// <summary>What the e-mail channel makes of failures before any SMTP conversation: no configuration, no server, a silent one.</summary>
public sealed class EmailChannelFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_WithoutAHost_IsGivenUpForGood_AsNotConfigured()
    {
        var smtp = new SmtpOptions { From = From };
        var riley = Person();

        var outcome = await Channel(smtp).SendAsync(Message(riley.Email, Composer(smtp).Compose(Notice(), "evt_7_1", riley)), Ct);

        Assert.False(outcome.Delivered);
        Assert.True(outcome.Permanent);
        Assert.Equal("e-mail is not configured (Handoff:Smtp:Host)", outcome.Error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"text":"no subject"}""")]
    public async Task SendAsync_ABodyThatIsNoEmail_IsGivenUpForGood(string body)
    {
        var outcome = await Channel(Options(1)).SendAsync(Message("riley@example.com", body), Ct);

        Assert.Equal((false, true), (outcome.Delivered, outcome.Permanent));
        Assert.Equal("the message's body is not an e-mail (an EmailEnvelope)", outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ToSomethingThatIsNoAddress_IsGivenUpForGood()
    {
        var smtp = Options(1);
        var body = Composer(smtp).Compose(Notice(), "evt_7_1", Person());

        var outcome = await Channel(smtp).SendAsync(Message("usr_riley", body), Ct);

        Assert.Equal((false, true), (outcome.Delivered, outcome.Permanent));
        Assert.Equal("'usr_riley' is not an e-mail address", outcome.Error);
    }

    [Fact]
    public async Task SendAsync_WithNothingListening_FailsAsRefused_AndIsRetried()
    {
        var port = UnusedPort();
        var smtp = Options(port);
        var riley = Person();

        var outcome = await Channel(smtp).SendAsync(Message(riley.Email, Composer(smtp).Compose(Notice(), "evt_7_1", riley)), Ct);

        Assert.Equal((false, false), (outcome.Delivered, outcome.Permanent));
        Assert.Equal($"connection to the SMTP server 127.0.0.1:{port} refused", outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ToAServerThatNeverAnswers_TimesOutOnTheInjectedClock_AndIsRetried()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var smtp = Options(((IPEndPoint)silent.LocalEndpoint).Port);
        var time = new FakeTimeProvider(At);
        var riley = Person();

        var sending = Channel(smtp, time).SendAsync(Message(riley.Email, Composer(smtp).Compose(Notice(), "evt_7_1", riley)), Ct);
        // Connected, and waiting for a greeting that never comes: only the deadline can end it now.
        using var connection = await silent.AcceptTcpClientAsync(Ct);
        time.Advance(smtp.Timeout);
        var outcome = await sending.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal((false, false), (outcome.Delivered, outcome.Permanent));
        Assert.Equal($"timed out after 30 s talking to the SMTP server 127.0.0.1:{smtp.Port}", outcome.Error);
        Assert.Equal(smtp.Timeout, outcome.Latency);
    }

    [Fact]
    public async Task SendAsync_HoldsAtMostMaxConnectionsSessions_TheOthersWaitTheirTurn()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var smtp = Options(((IPEndPoint)silent.LocalEndpoint).Port);
        smtp.MaxConnections = 2;
        // Shorter than the wait for a session, so the two waiting get theirs when the first two time out.
        smtp.Timeout = TimeSpan.FromSeconds(10);
        var time = new FakeTimeProvider(At);
        var channel = Channel(smtp, time);
        var riley = Person();
        var body = Composer(smtp).Compose(Notice(), "evt_7_1", riley);

        var sending = Enumerable.Range(0, 4).Select(_ => channel.SendAsync(Message(riley.Email, body), Ct)).ToList();
        using var first = await silent.AcceptTcpClientAsync(Ct);
        using var second = await silent.AcceptTcpClientAsync(Ct);
        var third = silent.AcceptTcpClientAsync(Ct).AsTask();
        // A third connection now would break the limit; none comes while the two hang.
        await Task.Delay(200, Ct);
        Assert.False(third.IsCompleted);

        time.Advance(smtp.Timeout);
        using var thirdConnection = await third.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        using var fourth = await silent.AcceptTcpClientAsync(Ct);
        time.Advance(smtp.Timeout);
        var outcomes = await Task.WhenAll(sending).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.All(outcomes, o => Assert.StartsWith("timed out after 10 s", o.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_WaitingTooLongForASession_FailsAsBusy_InsideTheLease()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var smtp = Options(((IPEndPoint)silent.LocalEndpoint).Port);
        smtp.MaxConnections = 1;
        smtp.Timeout = TimeSpan.FromMinutes(5);
        var time = new FakeTimeProvider(At);
        var channel = Channel(smtp, time);
        var riley = Person();
        var body = Composer(smtp).Compose(Notice(), "evt_7_1", riley);

        var holding = channel.SendAsync(Message(riley.Email, body), Ct);
        using var connection = await silent.AcceptTcpClientAsync(Ct);
        var waiting = channel.SendAsync(Message(riley.Email, body), Ct);
        time.Advance(EmailChannel.SessionWait);
        var outcome = await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal((false, false), (outcome.Delivered, outcome.Permanent));
        Assert.Equal("all 1 SMTP sessions of this node stayed busy for 20 s; the mail is tried again later", outcome.Error);
        Assert.False(holding.IsCompleted);
        time.Advance(smtp.Timeout);
        Assert.StartsWith("timed out", (await holding.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WhenTheWorkerStops_IsCancelled_NotFailed()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var smtp = Options(((IPEndPoint)silent.LocalEndpoint).Port);
        var riley = Person();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var sending = Channel(smtp).SendAsync(Message(riley.Email, Composer(smtp).Compose(Notice(), "evt_7_1", riley)), stopping.Token);
        using var connection = await silent.AcceptTcpClientAsync(Ct);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    // A port that was free a moment ago: bound, read, released. Nothing else listens on it during the test but by a
    // rare coincidence, which would make the connection succeed and the test fail loudly, never pass wrongly.
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
