using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Server;
using Handoff.Server.Api;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Cases;
using Handoff.Server.Hosting;
using Handoff.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.LoadDriver;

internal static class Scenarios
{
    // A case the built-in policy approves on its own: no rule fires and 0.92 clears the 0.75 floor.
    private const string AutoCase = """
        {"kind":"reply","summary":"Opening hours on Saturday","channel":"chat",
         "subject":{"id":"cus_6001","name":"Sam Taylor","returning":false},
         "facts":{"topic":"store"},
         "conversation":[{"role":"customer","text":"When are you open on Saturdays?"}],
         "proposal":{"text":"We're open from 9:00 to 18:00 on Saturdays.","confidence":0.92}}
        """;

    /// <summary>The ceiling: Kestrel reading a small JSON body and answering 201 with a small JSON body.</summary>
    public static async Task<LoadResult> TrivialEndpointAsync(int seconds, int concurrency, TimeSpan warmup)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync().ConfigureAwait(false);
            return Results.Created("/echo/1", new { id = "1", status = "approved", length = body.Length });
        });
        var address = await StartAsync(app).ConfigureAwait(false);
        using var client = NewClient(address, null, concurrency);
        Console.WriteLine($"ceiling: {address}echo");
        return await LoadGenerator.RunAsync(() => PostAsync(client, "echo"), concurrency, TimeSpan.FromSeconds(seconds), warmup).ConfigureAwait(false);
    }

    /// <summary>
    /// The real thing: authentication, validation, policy evaluation, the write with its audit entry — to SQLite, or
    /// to the PostgreSQL database <paramref name="store"/> names.
    /// </summary>
    public static Task<LoadResult> AutoPathAsync(int seconds, int concurrency, TimeSpan warmup, AllocationSampler? sampler = null, string? store = null) =>
        WithServerAsync([], store, async (app, directory) =>
        {
            var key = await ApiKeys.IssueAsync(app.Services.GetRequiredService<IHandoffStore>(), "default", ApiKeyRole.Agent, "load driver", Actor.Cli("load"), TimeProvider.System).ConfigureAwait(false);
            var address = await StartAsync(app).ConfigureAwait(false);
            using var client = NewClient(address, key, concurrency);
            Console.WriteLine($"handoff: {address}v1/cases (data in {directory})");
            return await LoadGenerator.RunAsync(() => PostAsync(client, "v1/cases"), concurrency, TimeSpan.FromSeconds(seconds), warmup, sampler).ConfigureAwait(false);
        });

    /// <summary>
    /// The auto path without HTTP: the same case through <see cref="CaseService"/> (policy, decision, the SQLite write
    /// with its audit entry) from <paramref name="concurrency"/> loops. For changes to the write path, which this
    /// measures with far less noise than the HTTP scenario.
    /// </summary>
    public static Task<LoadResult> ServiceOnlyAsync(int seconds, int concurrency, TimeSpan warmup, AllocationSampler? sampler = null) =>
        WithServerAsync(async (app, directory) =>
        {
            var service = app.Services.GetRequiredService<CaseService>();
            var submitted = SubmitCaseValidator.Validate(JsonSerializer.Deserialize<SubmitCaseRequest>(AutoCase, HandoffJson.Options)!, new ValidationErrors())
                ?? throw new InvalidOperationException("The load driver's case is invalid.");
            var agent = Actor.Cli("load");
            var workspace = (await app.Services.GetRequiredService<IHandoffStore>().EnsureWorkspaceAsync("default", agent).ConfigureAwait(false)).Id;
            Console.WriteLine($"service: CaseService.SubmitAsync (data in {directory})");
            return await LoadGenerator.RunAsync(
                async () => (await service.SubmitAsync(workspace, submitted, null, agent, CancellationToken.None).ConfigureAwait(false)).Created,
                concurrency, TimeSpan.FromSeconds(seconds), warmup, sampler).ConfigureAwait(false);
        });

    // A real Handoff server, initialized on a fresh SQLite file that is deleted afterwards.
    private static Task<LoadResult> WithServerAsync(Func<WebApplication, string, Task<LoadResult>> run) => WithServerAsync([], run);

    /// <summary>A real Handoff server started with <paramref name="serverArgs"/>, on a fresh SQLite file that is deleted afterwards.</summary>
    public static Task<T> WithServerAsync<T>(string[] serverArgs, Func<WebApplication, string, Task<T>> run) => WithServerAsync(serverArgs, null, run);

    /// <summary>The same on the PostgreSQL database <paramref name="store"/> names, when not null.</summary>
    public static async Task<T> WithServerAsync<T>(string[] serverArgs, string? store, Func<WebApplication, string, Task<T>> run)
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-load", Guid.NewGuid().ToString("N"));
        try
        {
            var app = HandoffServer.Build(serverArgs, new HandoffServerOptions { DataDirectory = directory, Store = store },
                services => services.AddLogging(l => l.ClearProviders()));
            await using (app.ConfigureAwait(false))
            {
                await app.InitializeAsync().ConfigureAwait(false);
                return await run(app, directory).ConfigureAwait(false);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    public static async Task<bool> PostAsync(HttpClient client, string path)
    {
        using var content = new StringContent(AutoCase, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content).ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return (int)response.StatusCode == 201;
    }

    public static async Task<Uri> StartAsync(WebApplication app)
    {
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync().ConfigureAwait(false);
        return app.ListeningAddress();
    }

    public static HttpClient NewClient(Uri address, string? key, int concurrency)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = address,
        };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}
