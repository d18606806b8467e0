using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MimeKit;

namespace Handoff.Server.Tests.Notifications.Email;

/// <summary>
/// A real SMTP server for one test class: <c>smtp_sink.py</c> (Debian's python3-aiosmtpd) in a child process on a port
/// of 127.0.0.1 the system picks. It refuses recipients named <c>reject…</c> (550) and defers <c>busy…</c> (451), and
/// hands every mail it accepts to <see cref="ReceivedAsync"/>, by recipient: each test uses addresses of its own, so
/// tests never see each other's mail whatever their order.
/// </summary>
public class SmtpSink : IAsyncLifetime
{
    /// <summary>Debian's Python, which has aiosmtpd (a pyenv <c>python3</c> earlier on PATH may not).</summary>
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Channel<Received>> _inboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly StringBuilder _errors = new();
    private Process? _process;
    private Task? _reading;

    /// <summary>The port it listens on, on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>What the script is started with besides its path.</summary>
    protected virtual IEnumerable<string> Arguments => [];

    public async ValueTask InitializeAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Notifications", "Email", "smtp_sink.py");
        Assert.True(File.Exists(Python), $"{Python} is missing: the e-mail tests need Debian's python3 with python3-aiosmtpd (./build.sh prereqs).");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        var ready = await _process.StandardOutput.ReadLineAsync().WaitAsync(Patience);
        if (ready is null)
        {
            await _process.WaitForExitAsync().WaitAsync(Patience);
            throw new InvalidOperationException(
                $"smtp_sink.py stopped ({_process.ExitCode}) before listening; it needs python3-aiosmtpd (./build.sh prereqs). It said: {Errors}");
        }

        Port = JsonDocument.Parse(ready).RootElement.GetProperty("listening").GetInt32();
        await UntilAcceptingAsync(Port);
        _reading = ReadAsync(_process.StandardOutput);
    }

    /// <summary>The next mail the server accepted for <paramref name="recipient"/>; fails the test when none comes.</summary>
    public async Task<Received> ReceivedAsync(string recipient) =>
        await Inbox(recipient).Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        if (_reading is { } reading)
        {
            await reading;
        }

        GC.SuppressFinalize(this);
    }

    private string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    private Channel<Received> Inbox(string recipient) => _inboxes.GetOrAdd(recipient, static _ => Channel.CreateUnbounded<Received>());

    private async Task ReadAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            var root = JsonDocument.Parse(line).RootElement;
            var recipients = root.GetProperty("rcptTos").EnumerateArray().Select(static r => r.GetString()!).ToList();
            var message = await MimeMessage.LoadAsync(new MemoryStream(Convert.FromBase64String(root.GetProperty("data").GetString()!)));
            var received = new Received(root.GetProperty("mailFrom").GetString()!, recipients, root.GetProperty("login").GetString(), message);
            foreach (var recipient in recipients)
            {
                Inbox(recipient).Writer.TryWrite(received);
            }
        }
    }

    // The script prints its port once it listens; this proves it from the outside before any test relies on it,
    // retrying briefly rather than guessing a time to sleep.
    private static async Task UntilAcceptingAsync(int port)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (until.Elapsed < Patience)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>One accepted mail: the SMTP envelope, the user it authenticated as (or null), and the message as parsed.</summary>
    public sealed record Received(string MailFrom, IReadOnlyList<string> Recipients, string? Login, MimeMessage Message);
}
