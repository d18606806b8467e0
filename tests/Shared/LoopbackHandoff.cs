using System.Net.Http.Headers;
using Handoff.Server;
using Handoff.Server.Auth;
using Handoff.Server.Hosting;
using Handoff.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Tests.Shared;

/// <summary>
/// A real Handoff server on 127.0.0.1 (Kestrel, a free port) over a real SQLite file in a temp folder of its own,
/// with a FakeTimeProvider as its clock. It can be stopped as a crash would and started again on the same port and
/// data. Compiled into each test project that runs a server in-process.
/// </summary>
internal sealed class LoopbackHandoff : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Action<HandoffServerOptions>? _configure;
    private readonly string[] _settings;
    private readonly List<IDisposable> _owned = [];
    private WebApplication? _app;

    private LoopbackHandoff(string directory, Action<HandoffServerOptions>? configure, string[] settings)
    {
        _directory = directory;
        _configure = configure;
        _settings = settings;
    }

    /// <summary>The server's clock: expiry and the end of a long-poll move only when a test advances it.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public Uri Address { get; private set; } = null!;

    public WebApplication App => _app ?? throw new InvalidOperationException("The server is stopped.");

    public IHandoffStore Store => App.Services.GetRequiredService<IHandoffStore>();

    public static Task<LoopbackHandoff> StartAsync() => StartAsync(null);

    /// <summary>
    /// As <see cref="StartAsync()"/>, with <paramref name="configure"/> applied to the server's options (after the data
    /// folder is set) each time it starts, again too.
    /// </summary>
    /// <param name="settings">Configuration as command-line arguments, <c>--Handoff:Webhooks:AllowedNetworks:0=127.0.0.0/8</c>.</param>
    public static async Task<LoopbackHandoff> StartAsync(Action<HandoffServerOptions>? configure, params string[] settings)
    {
        var server = new LoopbackHandoff(Path.Combine(Path.GetTempPath(), "handoff-tests", Guid.NewGuid().ToString("N")), configure, settings);
        await server.StartAppAsync("http://127.0.0.1:0");
        return server;
    }

    /// <summary>A new API key of <paramref name="role"/> in <paramref name="workspace"/> (created when missing).</summary>
    public Task<string> IssueKeyAsync(ApiKeyRole role, string name, string workspace = "default") =>
        ApiKeys.IssueAsync(Store, workspace, role, name, Handoff.Core.Cases.Actor.Cli("tests"), Time);

    /// <summary>A plain HttpClient on the server with <paramref name="key"/> as its bearer; disposed with the server.</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _owned.Add(client);
        return client;
    }

    /// <summary>Something to dispose with the server.</summary>
    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Stops the server as a crash would: open requests are cut, not finished.</summary>
    public async Task StopAsync()
    {
        var app = App;
        _app = null;
        try
        {
            await app.StopAsync(new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
            // Asked for: no grace period.
        }

        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Starts a new server on the same port, over the same data.</summary>
    public Task StartAgainAsync() => StartAppAsync(Address.GetLeftPart(UriPartial.Authority));

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test; the temp folder is cleaned by the OS.
        }
    }

    private async Task StartAppAsync(string url)
    {
        var options = new HandoffServerOptions { DataDirectory = _directory };
        _configure?.Invoke(options);
        var app = HandoffServer.Build(_settings, options, services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        });
        app.Urls.Add(url);
        await app.InitializeAsync();
        await app.StartAsync();
        _app = app;
        Address = app.ListeningAddress();
    }
}
