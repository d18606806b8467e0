using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Server.Api;
using Handoff.Server.Dashboard;
using Handoff.Server.Mcp;
using Handoff.Storage;
using Handoff.Storage.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace Handoff.Server.Hosting;

/// <summary>Builds and starts a Handoff server: the same code path for <c>handoff serve</c>, tests and benchmarks.</summary>
public static class HandoffServer
{
    /// <summary>
    /// Builds the app. <paramref name="configureServices"/> runs last, so it can replace registrations (a
    /// FakeTimeProvider in tests, for example).
    /// </summary>
    public static WebApplication Build(string[] args, HandoffServerOptions options, Action<IServiceCollection>? configureServices = null)
    {
        // Reloading appsettings.json on change means a FileSystemWatcher over the whole content root, subdirectories
        // included, so every write to a database kept below it (the default .handoff/) would wake it: measured at
        // about a tenth of the thread time under load. Handoff reads its settings once, at start.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        // Notification, learning and CORS settings come from configuration too (appsettings.json,
        // Handoff__Notifications__PublicUrl=…): they are many and rarely changed, not command-line flags.
        builder.Configuration.GetSection("Handoff:Notifications").Bind(options.Notifications);
        builder.Configuration.GetSection("Handoff:Learning").Bind(options.Learning);
        builder.Configuration.GetSection(CorsOptions.Section).Bind(options.Cors);
        builder.AddHandoff(options);
        // One line per request is noise at this volume; the framework speaks up only when something is wrong.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Its warning that the sign-in keys are stored unencrypted says what is meant: they sit in the data folder,
        // protected by that folder's permissions like the database itself (see DashboardExtensions).
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseHandoff();
        app.MapCasesApi();
        app.MapPolicyApi();
        app.MapTeamsApi();
        app.MapPeopleApi();
        app.MapWebhooksApi();
        app.MapNotificationsApi();
        Learning.LearningApi.MapLearningApi(app);
        Learning.GateApi.MapGateApi(app);
        Audit.AuditApi.MapAuditApi(app);
        app.MapMcpApi();
        app.MapOpenApi();
        app.MapScalarApiReference();
        Notifications.Slack.SlackIntegrationApi.MapSlackApi(app);
        Notifications.Teams.TeamsIntegrationApi.MapTeamsIntegrationApi(app);
        app.MapGet("/healthz", () => TypedResults.Ok(Health.Ok)).ExcludeFromDescription();
        app.MapDashboard();
        return app;
    }

    /// <summary>The first address a started app listens on (the real port when it was started on port 0).</summary>
    public static Uri ListeningAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .GetRequiredFeature<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>().Addresses;
        return new Uri(addresses.First());
    }

    /// <summary>
    /// Prepares the store: migrations, the default workspace, and its policy (the file given, or the built-in one
    /// on a fresh install). Throws when the policy file has problems, naming them.
    /// </summary>
    public static async Task InitializeAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HandoffServerOptions>>().Value;
        var store = app.Services.GetRequiredService<IHandoffStore>();
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (store is PostgresHandoffStore postgres)
        {
            await PostgresKeyRing.EnsureKeyAsync(
                postgres, app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>(),
                app.Services.GetRequiredService<TimeProvider>(), cancellationToken).ConfigureAwait(false);
        }

        var workspace = await store.EnsureWorkspaceAsync(options.DefaultWorkspace, Actor.System, cancellationToken).ConfigureAwait(false);
        var current = await store.GetPolicyAsync(workspace.Id, null, cancellationToken).ConfigureAwait(false);
        var wanted = options.PolicyFile is { } file
            ? await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)
            : current is null ? BuiltInPolicy.Yaml : null;
        if (wanted is null || wanted == current?.Source)
        {
            return;
        }

        var compilation = PolicyCompiler.Compile(wanted);
        if (!compilation.Succeeded)
        {
            var where = options.PolicyFile ?? "built-in policy";
            throw new InvalidOperationException(
                $"The policy has problems:{Environment.NewLine}" + string.Join(Environment.NewLine, compilation.Problems.Select(p => $"{where}:{p}")));
        }

        // Decided again inside the write: several nodes starting together publish it once.
        await store.PublishPolicyAsync(workspace.Id, wanted, Actor.System, cancellationToken, onlyIfChanged: true).ConfigureAwait(false);
    }
}

/// <summary>What <c>/healthz</c> answers: <c>{"status":"ok"}</c>. A named type, since ASP.NET Core's request delegate generator cannot name an anonymous one.</summary>
internal sealed record Health(string Status)
{
    public static Health Ok { get; } = new("ok");
}
