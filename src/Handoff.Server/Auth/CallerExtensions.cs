using System.Security.Claims;
using Handoff.Core.Cases;

namespace Handoff.Server.Auth;

internal static class CallerExtensions
{
    public static string WorkspaceId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthenticationHandler.WorkspaceClaim)
        ?? throw new InvalidOperationException("The caller is not authenticated with an API key.");

    public static Actor Actor(this ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.Role) ?? "unknown",
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
        user.FindFirstValue(ClaimTypes.Name) ?? "unknown");
}
