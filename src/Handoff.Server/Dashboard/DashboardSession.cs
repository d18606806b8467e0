using Handoff.Core.Cases;
using Handoff.Server.Accounts;
using Handoff.Storage;
using Microsoft.AspNetCore.Components.Authorization;

namespace Handoff.Server.Dashboard;

/// <summary>
/// The signed-in person of one circuit (or one request), read from the store so that a change of teams or role
/// shows on the next page without signing in again. A person disabled meanwhile is treated as signed out.
/// </summary>
internal sealed class DashboardSession(AuthenticationStateProvider authentication, IHandoffStore store)
{
    private User? _user;

    public async Task<User?> UserAsync(CancellationToken cancellationToken = default)
    {
        if (_user is not null)
        {
            return _user;
        }

        var principal = (await authentication.GetAuthenticationStateAsync().ConfigureAwait(false)).User;
        if (principal.Identity?.IsAuthenticated != true || principal.Identity.AuthenticationType != DashboardAuth.Scheme)
        {
            return null;
        }

        var user = await store.GetUserAsync(principal.PersonWorkspace(), principal.PersonActor().Id, cancellationToken).ConfigureAwait(false);
        _user = user is { DisabledAt: null } ? user : null;
        return _user;
    }

    /// <summary>
    /// The signed-in person read afresh, when they are still an enabled admin; null otherwise. Admin pages call it
    /// before every write, so that someone demoted or disabled while their page stays open can change nothing more.
    /// </summary>
    public async Task<User?> AdminAsync(CancellationToken cancellationToken = default)
    {
        Refresh();
        return await UserAsync(cancellationToken).ConfigureAwait(false) is { Role: UserRole.Admin } admin ? admin : null;
    }

    /// <summary>Forgets the cached record, so the next read sees a change made on another page.</summary>
    public void Refresh() => _user = null;

    public static Actor ActorOf(User user) => new(Actor.UserKind, user.Id, user.Name);

    /// <summary>The person's role as the policy names it (<c>reviewer</c>, <c>supervisor</c>, <c>admin</c>).</summary>
    public static string RoleOf(User user) => user.Role.ToString().ToLowerInvariant();
}
