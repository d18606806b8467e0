using System.Security.Claims;
using System.Text.Encodings.Web;
using Handoff.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against the stored key hashes.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string WorkspaceClaim = "handoff:workspace";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'.");
        }

        var secret = header["Bearer ".Length..].Trim();
        var key = await keys.FindAsync(secret, Context.RequestAborted).ConfigureAwait(false);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var role = key.Role.ToString().ToLowerInvariant();
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, key.Id),
                new Claim(ClaimTypes.Name, key.Name),
                new Claim(ClaimTypes.Role, role),
                new Claim(WorkspaceClaim, key.WorkspaceId),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>A 401 names the scheme to authenticate with (RFC 9110 §11.6.1; the MCP specification asks for it too).</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
