using System.Diagnostics.Metrics;
using Handoff.Core;
using Handoff.Server.Audit;
using Handoff.Server.Auth;
using Handoff.Server.Accounts;
using Handoff.Server.Cases;
using Handoff.Server.Dashboard;
using Handoff.Server.Diagnostics;
using Handoff.Server.Events;
using Handoff.Server.Mcp;
using Handoff.Server.Policies;
using Handoff.Server.Workers;
using Handoff.Storage;
using Handoff.Storage.Postgres;
using Handoff.Storage.Sqlite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Hosting;

public static class HandoffServiceCollectionExtensions
{
    /// <summary>Registers everything a Handoff server needs, on the SQLite file in <see cref="HandoffServerOptions.DataDirectory"/>.</summary>
    public static WebApplicationBuilder AddHandoff(this WebApplicationBuilder builder, HandoffServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);

        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        if (options.UsesPostgres)
        {
            // Several nodes on one database: the relay carries changes between them (see PostgresEventRelay).
            services.AddSingleton(sp => new PostgresHandoffStore(
                PostgresConnection.CreateDataSource(options.Store!), sp.GetRequiredService<TimeProvider>(), ownsDataSource: true, sp.GetService<IMeterFactory>()));
            services.AddSingleton<IHandoffStore>(sp => sp.GetRequiredService<PostgresHandoffStore>());
            services.AddSingleton<PostgresEventRelay>();
            services.AddHostedService(sp => sp.GetRequiredService<PostgresEventRelay>());
        }
        else
        {
            services.AddSingleton<IHandoffStore>(sp => new SqliteHandoffStore(options.DatabasePath, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>()));
        }

        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<GuessLimits>();
        services.AddSingleton<PolicyService>();
        services.AddSingleton<CaseNotifier>();
        services.AddSingleton<CaseWaiter>();
        services.AddSingleton<CaseService>();
        services.TryAddSingleton<Handoff.Core.Learning.ITextEmbedder, Handoff.Embeddings.MiniLmEmbedder>();
        services.AddSingleton<Learning.Precedents>();
        services.AddSingleton<Learning.EmbeddingWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Learning.EmbeddingWorker>());
        services.AddSingleton<Learning.PolicyReplayService>();
        services.AddSingleton<Learning.RecommendationService>();
        services.AddSingleton<Learning.GateService>();
        services.AddSingleton<Learning.LearningWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Learning.LearningWorker>());
        services.AddSingleton<CaseHandover>();
        services.AddSingleton<Routing.PresenceService>();
        services.AddSingleton<Routing.RoutingSignal>();
        services.AddSingleton<Routing.Router>();
        services.AddSingleton<Routing.WaitService>();
        services.AddSingleton<Routing.OfferService>();
        services.AddSingleton<Routing.NextCaseService>();
        services.AddHostedService<Routing.RoutingWorker>();
        services.AddHostedService<Routing.OfferWorker>();
        services.AddMetrics();
        services.AddSingleton<HandoffMetrics>();
        Notifications.Slack.SlackServices.AddHandoffSlack(services);
        Notifications.Teams.TeamsServices.AddHandoffTeams(services);
        services.AddHostedService<ExpiryWorker>();
        services.AddHostedService<SlaWorker>();
        if (options.AuditCheckpointInterval > TimeSpan.Zero)
        {
            services.AddHostedService<AuditCheckpointWriter>();
        }

        services.AddHostedService<ClaimReleaseWorker>();
        services.AddHostedService<Statistics.RollUpWorker>();
        services.AddHostedService<Audit.AuditSealer>();
        services.AddHostedService<Audit.AuditTreeBuilder>();
        Notifications.NotificationServices.AddHandoffNotifications(services, builder.Configuration, options.Notifications);
        services.AddHandoffMcp();

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        services.ConfigureHttpJsonOptions(json => HandoffJson.Configure(json.SerializerOptions));
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemDetailTexts.Explain);
        services.AddOpenApi(openApi =>
        {
            openApi.AddSchemaTransformer<Api.OpenApi.ContractSchemaTransformer>();
            openApi.AddOperationTransformer<Api.OpenApi.ContractOperationTransformer>();
            openApi.AddDocumentTransformer<Api.OpenApi.ContractDocumentTransformer>();
            openApi.AddDocumentTransformer<BearerKeyDocumentTransformer>();
        });
        if (options.Cors.Enabled)
        {
            services.AddCors(cors => cors.AddPolicy(Api.CorsOptions.PolicyName, options.Cors.Configure));
        }

        // Two ways in: API keys (agents, scripts) and the dashboard's sign-in cookie (people). A request carrying an
        // Authorization header is an API call; anything else is a browser. The API's policies accept only keys, so a
        // browser session can never be used to call the API from another site.
        services.AddAuthentication(SelectScheme)
            .AddPolicyScheme(SelectScheme, null, o => o.ForwardDefaultSelector = c =>
                c.Request.Headers.Authorization.Count > 0 ? ApiKeyAuthenticationHandler.SchemeName : DashboardAuth.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(DashboardAuth.Scheme, DashboardAuth.ConfigureCookie);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Agent, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(Roles.Agent, Roles.Admin))
            .AddPolicy(Roles.Reviewer, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(Roles.Reviewer, Roles.Admin))
            .AddPolicy(Roles.Admin, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(Roles.Admin))
            .AddPolicy(Roles.Any, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(DashboardAuth.Person, p => p.AddAuthenticationSchemes(DashboardAuth.Scheme).RequireAuthenticatedUser())
            .AddPolicy(DashboardAuth.Supervisor, p => p.AddAuthenticationSchemes(DashboardAuth.Scheme).RequireRole(DashboardAuth.SupervisorRole, DashboardAuth.AdminRole))
            .AddPolicy(DashboardAuth.Admin, p => p.AddAuthenticationSchemes(DashboardAuth.Scheme).RequireRole(DashboardAuth.AdminRole));
        builder.AddDashboard(options);
        return builder;
    }

    private const string SelectScheme = "Handoff";

    /// <summary>The middleware: problem details for every error, CORS for the API when configured, the limit on guessing keys, then authentication and authorization.</summary>
    public static WebApplication UseHandoff(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A body that breaks a limit while the framework reads it is the client's fault, not a 500.
            // The database out of reach (restarting, the connection lost) is a moment's unavailability, not a 500.
            StatusCodeSelector = e => e switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                // Text PostgreSQL cannot hold (U+0000) that came some way the API's own checks do not cover (a form).
                _ when ProblemDetailTexts.IsUnstorableText(e) => StatusCodes.Status400BadRequest,
                _ when PostgresConnection.IsConnectionFailure(e) || e is System.Data.Common.DbException { IsTransient: true } => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        // Before authentication: a browser's preflight carries no key, and is answered here.
        if (app.Services.GetRequiredService<IOptions<HandoffServerOptions>>().Value.Cors.Enabled)
        {
            app.UseWhen(static c => Api.CorsOptions.Covers(c.Request.Path), static api => api.UseCors(Api.CorsOptions.PolicyName));
        }

        app.UseKeyCheckLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }
}
