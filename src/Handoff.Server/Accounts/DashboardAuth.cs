using System.Security.Claims;
using Handoff.Core.Cases;
using Handoff.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Handoff.Server.Accounts;

/// <summary>The dashboard's sign-in: a cookie holding the person's id, workspace and role.</summary>
internal static class DashboardAuth
{
    public const string Scheme = "Dashboard";

    // Authorization policy names.
    public const string Person = "person";
    public const string Supervisor = "supervisor";
    public const string Admin = "dashboard-admin";

    // Role claim values (UserRole in lower case).
    public const string ReviewerRole = "reviewer";
    public const string SupervisorRole = "supervisor";
    public const string AdminRole = "admin";

    public const string WorkspaceClaim = Auth.ApiKeyAuthenticationHandler.WorkspaceClaim;

    /// <summary>
    /// What the session was issued for: a hash of the person's role and password hash. A session whose stamp no
    /// longer matches the stored person (demoted, or the password changed) is refused at once.
    /// </summary>
    public const string StampClaim = "handoff:stamp";
    public const string SignInPath = "/signin";

    public static void ConfigureCookie(CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = "handoff.session";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.LoginPath = SignInPath;
        cookie.AccessDeniedPath = "/denied";
        cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
        cookie.SlidingExpiration = true;
        cookie.Events.OnValidatePrincipal = PersonRevalidation.ValidateCookieAsync;
    }

    public static ClaimsPrincipal Principal(User user) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Role, RoleName(user.Role)),
            new Claim(WorkspaceClaim, user.WorkspaceId),
            new Claim(StampClaim, Stamp(user)),
        ],
        Scheme));

    public static string Stamp(User user) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes($"{RoleName(user.Role)}\n{user.PasswordHash}")));

    public static string RoleName(UserRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The signed-in person as the actor of what they do (audit, decisions, claims).</summary>
    public static Actor PersonActor(this ClaimsPrincipal user) => new(
        Actor.UserKind,
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Nobody is signed in."),
        user.FindFirstValue(ClaimTypes.Name) ?? "unknown");

    public static string PersonWorkspace(this ClaimsPrincipal user) =>
        user.FindFirstValue(WorkspaceClaim) ?? throw new InvalidOperationException("Nobody is signed in.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);
}
