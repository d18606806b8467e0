using System.Net;
using System.Net.Sockets;
using System.Text;
using Handoff.Core.Notifications.Webhooks;
using Handoff.Server.Notifications;
using Handoff.Server.Notifications.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Server.Tests.Notifications.Webhooks;

/// <summary>
/// The webhook sender over real sockets: Kestrel (or a bare TCP listener, where a receiver must misbehave in ways
/// Kestrel will not) on 127.0.0.1, which the sender may reach only when the test allows loopback, as an operator would.
/// </summary>
public sealed class WebhookSenderTests
{
    private const string Body = """{"type":"case.decided","timestamp":"2026-12-01T10:00:00Z","data":{"workspaceId":"ws_1"}}""";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Loopback = ["127.0.0.0/8"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(Now);
    private readonly string _secret = WebhookSecret.Generate().Text;

    private WebhookSender Sender(string[]? allowed = null, TimeSpan? timeout = null, TimeProvider? time = null) =>
        new(Options.Create(new WebhookOptions { AllowedNetworks = [.. allowed ?? Loopback], Timeout = timeout ?? TimeSpan.FromSeconds(15) }), time ?? _time);

    private Task<DeliveryOutcome> SendAsync(WebhookSender sender, Uri url, params string[] secrets) =>
        sender.SendAsync(url, "evt_42_0", _time.GetUtcNow(), Body, secrets.Length == 0 ? [_secret] : secrets, Ct);

    [Fact]
    public async Task SendAsync_ToAnAllowedReceiver_PostsASignedJsonBody_ThatTheReceiverVerifies()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(200, "thanks");
        using var sender = Sender();

        var outcome = await SendAsync(sender, receiver.Url());

        Assert.Equal(DeliveryOutcome.Ok(200, outcome.Latency, "thanks"), outcome);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(("POST", "/hooks/handoff", Body), (request.Method, request.Path, request.Body));
        Assert.Equal("application/json", request.Headers["content-type"]);
        Assert.Equal("Handoff-Webhooks/1", request.Headers["user-agent"]);
        Assert.Equal("evt_42_0", request.Headers["webhook-id"]);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["webhook-timestamp"]);
        var verified = WebhookSignature.Verify([WebhookSecret.Parse(_secret)], request.Headers, request.Body, Now.AddSeconds(3));
        Assert.True(verified.Verified, verified.Message);
    }

    [Fact]
    public async Task SendAsync_DuringARotation_SignsWithEverySecret_SoEitherVerifies()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(204);
        using var sender = Sender();
        var newer = WebhookSecret.Generate();

        var outcome = await SendAsync(sender, receiver.Url(), newer.Text, _secret);

        Assert.True(outcome.Delivered);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(2, request.Headers["webhook-signature"].Split(' ').Length);
        Assert.True(WebhookSignature.Verify([newer], request.Headers, request.Body, Now).Verified);
        Assert.True(WebhookSignature.Verify([WebhookSecret.Parse(_secret)], request.Headers, request.Body, Now).Verified);
    }

    [Fact]
    public async Task SendAsync_ToLoopbackByDefault_IsRefusedPermanently_AndNothingIsSent()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(200);
        using var sender = Sender(allowed: []);

        var outcome = await SendAsync(sender, receiver.Url());

        Assert.False(outcome.Delivered);
        Assert.True(outcome.Permanent);
        Assert.Null(outcome.StatusCode);
        Assert.Equal("address 127.0.0.1 is loopback (127.0.0.0/8); webhooks go to public addresses unless the operator allows the range", outcome.Error);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_ToTheIPv4MappedFormOfLoopback_IsRefusedByDefault_AndDeliveredWhenLoopbackIsAllowed()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(200);
        var url = new Uri($"http://[::ffff:127.0.0.1]:{receiver.Address.Port}/hooks/handoff");
        using var strict = Sender(allowed: []);
        using var allowing = Sender(allowed: Loopback);

        var refused = await SendAsync(strict, url);
        var delivered = await SendAsync(allowing, url);

        Assert.True(refused.Permanent);
        Assert.StartsWith("address ::ffff:127.0.0.1 (it leads to 127.0.0.1) is loopback (127.0.0.0/8)", refused.Error, StringComparison.Ordinal);
        Assert.True(delivered.Delivered, delivered.Error);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_ToLocalhost_IsRefusedByDefault_AndDeliveredWhenLoopbackIsAllowed()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(200);
        var url = new Uri($"http://localhost:{receiver.Address.Port}/hooks/handoff");
        using var strict = Sender(allowed: []);
        using var allowing = Sender(allowed: Loopback);

        var refused = await SendAsync(strict, url);
        var delivered = await SendAsync(allowing, url);

        Assert.True(refused.Permanent);
        Assert.Contains(" is loopback (", refused.Error, StringComparison.Ordinal);
        // localhost is 127.0.0.1 and ::1 here: only the allowed one is dialled.
        Assert.True(delivered.Delivered, delivered.Error);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("http://[::ffff:192.168.1.1]/hooks", "address ::ffff:192.168.1.1 (it leads to 192.168.1.1) is private (192.168.0.0/16)")]
    [InlineData("http://[::1]:{0}/hooks", "address ::1 is loopback (::1/128)")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 is a cloud metadata service (169.254.169.254/32)")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "address fd00:ec2::254 is a cloud metadata service (fd00:ec2::254/128)")]
    [InlineData("http://100.100.100.200/latest/meta-data/", "address 100.100.100.200 is a cloud metadata service (100.100.100.200/32)")]
    public async Task SendAsync_ToAnAddressOutsideTheAllowedRanges_IsRefusedBeforeConnecting(string url, string reason)
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(200);
        // Loopback IPv4 and the link-local and shared ranges allowed: still not IPv6 loopback, nor a metadata service.
        using var sender = Sender(allowed: ["127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10"]);

        var outcome = await SendAsync(sender, new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, receiver.Address.Port)));

        Assert.True(outcome.Permanent);
        Assert.StartsWith(reason, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Theory]
    [InlineData("http://user:secret@127.0.0.1/hooks", "The URL must not carry user info")]
    [InlineData("ftp://127.0.0.1/hooks", "The URL's scheme is 'ftp'")]
    public async Task SendAsync_ToABadUrl_IsRefusedPermanently(string url, string reason)
    {
        using var sender = Sender();

        var outcome = await SendAsync(sender, new Uri(url));

        Assert.True(outcome.Permanent);
        Assert.StartsWith(reason, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WithAnUnusableSecret_IsRefusedPermanently()
    {
        using var sender = Sender();

        var outcome = await SendAsync(sender, new Uri("http://127.0.0.1:9/"), "whsec_tooshort");

        Assert.True(outcome.Permanent);
        Assert.StartsWith("the endpoint's secret is unusable: ", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ToARedirectingReceiver_DoesNotFollow_AndSaysWhereItPointed()
    {
        WebhookReceiver? receiver = null;
        receiver = await WebhookReceiver.StartAsync(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = receiver!.Url("/elsewhere").ToString();
            return Task.CompletedTask;
        });
        await using var _ = receiver;
        using var sender = Sender();

        var outcome = await SendAsync(sender, receiver.Url());

        Assert.False(outcome.Delivered);
        Assert.False(outcome.Permanent);
        Assert.Equal(302, outcome.StatusCode);
        Assert.Equal($"the receiver answered 302 Found to {receiver.Url("/elsewhere")}: redirects are not followed; give the endpoint its final URL", outcome.Error);
        Assert.Equal(["/hooks/handoff"], receiver.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task SendAsync_ToAReceiverFailingWith500_FailsWithItsAnswer_ForALaterRetry()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(500, "database down");
        using var sender = Sender();

        var outcome = await SendAsync(sender, receiver.Url());

        Assert.Equal(DeliveryOutcome.Failed("the receiver answered 500 Internal Server Error", outcome.Latency, 500, "database down"), outcome);
    }

    [Fact]
    public async Task SendAsync_ToAReceiverAnswering410_IsGone()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(410, "unsubscribed");
        using var sender = Sender();

        var outcome = await SendAsync(sender, receiver.Url());

        Assert.Equal((false, true, false, 410), (outcome.Delivered, outcome.Gone, outcome.Permanent, outcome.StatusCode));
        Assert.Equal("the receiver answered 410 Gone: it wants no more deliveries", outcome.Error);
        Assert.Equal("unsubscribed", outcome.ResponseExcerpt);
    }

    [Fact]
    public async Task SendAsync_ToAThrottlingReceiver_CarriesItsRetryAfterInSeconds()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(429, "slow down", r => r.Headers.RetryAfter = "120");
        using var sender = Sender();

        var outcome = await SendAsync(sender, receiver.Url());

        Assert.Equal((false, 429, TimeSpan.FromSeconds(120)), (outcome.Delivered, outcome.StatusCode, outcome.RetryAfter));
        Assert.Equal("the receiver answered 429 Too Many Requests", outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ToAThrottlingReceiver_ReadsARetryAfterDateAgainstTheClock()
    {
        var until = Now.AddSeconds(90).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        await using var receiver = await WebhookReceiver.AnsweringAsync(503, "", r => r.Headers.RetryAfter = until);
        using var sender = Sender();

        var outcome = await SendAsync(sender, receiver.Url());

        Assert.Equal((503, TimeSpan.FromSeconds(90)), (outcome.StatusCode, outcome.RetryAfter));
    }

    [Fact]
    public async Task SendAsync_ARetryAfterOnAnOrdinaryFailure_IsNotTakenAsThrottling()
    {
        await using var receiver = await WebhookReceiver.AnsweringAsync(500, "", r => r.Headers.RetryAfter = "120");
        using var sender = Sender();

        var outcome = await SendAsync(sender, receiver.Url());

        Assert.Null(outcome.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_ToAClosedPort_FailsWithConnectionRefused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var sender = Sender();

        var outcome = await SendAsync(sender, new Uri($"http://127.0.0.1:{port}/hooks"));

        Assert.Equal((false, false, null), (outcome.Delivered, outcome.Permanent, outcome.StatusCode));
        Assert.Equal($"connection refused (127.0.0.1:{port})", outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ToAReceiverThatNeverAnswers_TimesOutWhenTheClockSaysSo()
    {
        using var listener = new SilentListener();
        using var sender = Sender();

        var sending = SendAsync(sender, listener.Url);
        await listener.RequestReceived.WaitAsync(Ct);
        Assert.False(sending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(15));
        var outcome = await sending;

        Assert.Equal((false, false, null), (outcome.Delivered, outcome.Permanent, outcome.StatusCode));
        Assert.Equal("timed out after 15 s", outcome.Error);
        Assert.Equal(TimeSpan.FromSeconds(15), outcome.Latency);
    }

    [Fact]
    public async Task SendAsync_WithAShortConfiguredTimeout_OnTheRealClock_TimesOut()
    {
        using var listener = new SilentListener();
        using var sender = Sender(timeout: TimeSpan.FromSeconds(1), time: TimeProvider.System);

        var outcome = await sender.SendAsync(listener.Url, "evt_1_0", TimeProvider.System.GetUtcNow(), Body, [_secret], Ct);

        Assert.Equal("timed out after 1 s", outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ToAReceiverWithAHugeAnswer_ReadsOnlyTheCap_AndKeepsAnExcerpt()
    {
        const long Announced = 256L * 1024 * 1024;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/hooks");
        var written = 0L;
        var answering = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(Ct);
            var stream = client.GetStream();
            await ReadRequestAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Announced}\r\nContent-Type: text/plain\r\n\r\n"), Ct);
            var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
            try
            {
                while (written < Announced)
                {
                    await stream.WriteAsync(chunk, Ct);
                    written += chunk.Length;
                }
            }
            catch (IOException)
            {
                // The sender hung up after reading its fill: what this test expects.
            }
        }, Ct);
        using var sender = Sender();

        var outcome = await SendAsync(sender, url);
        await answering.WaitAsync(Ct);

        Assert.True(outcome.Delivered);
        Assert.Equal(new string('x', WebhookSender.MaxExcerptLength), outcome.ResponseExcerpt);
        // Reading it all would have let the receiver write every byte; socket buffers hold a few MiB at most.
        Assert.InRange(written, 64 * 1024, 64L * 1024 * 1024);
    }

    private static async Task ReadRequestAsync(NetworkStream stream)
    {
        // Headers, then as many body bytes as Content-Length says.
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOfBlankLine(received)) < 0)
        {
            var n = await stream.ReadAsync(buffer, Ct);
            if (n == 0)
            {
                return;
            }

            received.AddRange(buffer.AsSpan(0, n));
        }

        var headers = Encoding.ASCII.GetString(received.ToArray(), 0, headerEnd);
        var length = headers.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Equals("content-length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var have = received.Count - (headerEnd + 4);
        while (have < length)
        {
            var n = await stream.ReadAsync(buffer, Ct);
            if (n == 0)
            {
                return;
            }

            have += n;
        }
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A TCP listener on 127.0.0.1 that reads a request and never answers, until disposed.</summary>
    private sealed class SilentListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        public SilentListener()
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hooks");
            _accepting = Task.Run(async () =>
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                await ReadRequestAsync(client.GetStream());
                _received.TrySetResult();
                await Task.Delay(Timeout.Infinite, _stop.Token);
            });
        }

        public Uri Url { get; }

        /// <summary>Completes once the whole request has arrived.</summary>
        public Task RequestReceived => _received.Task;

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _accepting.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // Cancelled while waiting: how it ends.
            }

            _stop.Dispose();
        }
    }
}
