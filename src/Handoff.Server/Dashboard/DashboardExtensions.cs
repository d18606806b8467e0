using Handoff.Server.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Handoff.Server.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Dashboard;

/// <summary>The web dashboard: Blazor components rendered on the server, interactive over the circuit.</summary>
internal static class DashboardExtensions
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder, HandoffServerOptions options)
    {
        // The framework's own scripts (blazor.web.js) and the dashboard's stylesheet are static web assets. A build
        // lists where they are in a manifest that only the Development environment reads by default; reading it in
        // every environment lets `dotnet run` serve the dashboard as it is. A published app has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Sign-in cookies and antiforgery tokens are sealed with Data Protection keys. Kept beside the data, they
        // survive a restart (nobody is signed out) and move with it; in PostgreSQL, every node shares them.
        var dataProtection = services.AddDataProtection().SetApplicationName("Handoff");
        if (options.UsesPostgres)
        {
            services.AddSingleton<PostgresKeyRing>();
            services.AddOptions<KeyManagementOptions>()
                .Configure<PostgresKeyRing>((keyManagement, ring) => keyManagement.XmlRepository = ring);
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));
        }
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, PersonRevalidation>();
        services.AddHttpContextAccessor();
        services.AddSingleton<AccountService>();
        services.AddSingleton<SignInLimiter>();
        services.AddSingleton<SetupLink>();
        services.AddScoped<DashboardSession>();
        services.AddScoped<Shared.LastDecision>();
        services.AddScoped<Settings.SettingsNotice>();
        services.AddScoped<CircuitHandler, ClaimRenewal>();
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{app.Environment.ApplicationName}.staticwebassets.endpoints.json");
        if (File.Exists(manifest))
        {
            app.MapStaticAssets(manifest);
        }

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        // Signing someone out is a change, so it needs the page's antiforgery token. The endpoint asks for the check
        // itself (RequireAntiforgeryToken) and reads its outcome: the request delegate generator, unlike the runtime
        // binder, does not turn a failed check into a 400 when a form parameter is bound, it throws.
        app.MapPost("/signout", async Task<Results<RedirectHttpResult, BadRequest>> (HttpContext context, Routing.PresenceService presence) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
            {
                return TypedResults.BadRequest();
            }

            // Signed out is offline: nobody is there to be offered a case, whatever they had chosen.
            var person = context.User;
            await presence.SetAsync(person.PersonWorkspace(), person.PersonActor().Id, Core.Routing.Presence.Offline, person.PersonActor(), context.RequestAborted)
                .ConfigureAwait(false);
            await context.SignOutAsync(DashboardAuth.Scheme).ConfigureAwait(false);
            return TypedResults.LocalRedirect(DashboardAuth.SignInPath);
        }).RequireAuthorization(DashboardAuth.Person).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        return app;
    }
}
