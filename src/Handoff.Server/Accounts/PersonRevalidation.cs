using System.Security.Claims;
using Handoff.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Accounts;

/// <summary>
/// A person disabled, demoted or given a new password loses the session at once: each request checks the cookie's
/// person is still active and its stamp (role and password) still matches, and an open dashboard checks again every
/// minute, so such a person's live page signs itself out. Teams are read fresh on every page and need no stamp.
/// </summary>
internal sealed class PersonRevalidation(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await IsActiveAsync(scope.ServiceProvider.GetRequiredService<IHandoffStore>(), authenticationState.User, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The server is shutting down under a circuit still open; the circuit goes with it.
            return true;
        }
    }

    /// <summary>The cookie handler's check on every request that carries the cookie.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var store = context.HttpContext.RequestServices.GetRequiredService<IHandoffStore>();
        if (context.Principal is null || !await IsActiveAsync(store, context.Principal, context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardAuth.Scheme).ConfigureAwait(false);
        }
    }

    private static async Task<bool> IsActiveAsync(IHandoffStore store, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.Identity?.AuthenticationType != DashboardAuth.Scheme)
        {
            // Not a person (an API key, or nobody): nothing to revalidate.
            return true;
        }

        var user = await store.GetUserAsync(principal.PersonWorkspace(), principal.PersonActor().Id, cancellationToken).ConfigureAwait(false);
        return user is { DisabledAt: null } && principal.FindFirstValue(DashboardAuth.StampClaim) == DashboardAuth.Stamp(user);
    }
}
