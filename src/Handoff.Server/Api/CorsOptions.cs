using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Handoff.Server.Api;

/// <summary>
/// Which web pages may call the API from a browser (section <c>Handoff:Cors</c>): off until an operator names the
/// origins, as <c>Handoff__Cors__AllowedOrigins__0=https://console.example.com</c>. It covers the API, MCP and the
/// OpenAPI document, never the dashboard; a browser never sends credentials with it (the API takes keys, not cookies).
/// </summary>
public sealed class CorsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Handoff:Cors";

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>, as a browser sends them) whose pages may call the API, or <c>*</c> for any.
    /// Empty (the default): cross-origin calls are refused, and preflight requests answer 405 as before.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long a browser may keep a preflight's answer. <value>The default value is 10 minutes.</value></summary>
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The name of the CORS policy the API's requests run under.</summary>
    internal const string PolicyName = "handoff-api";

    // What a browser script may read from an answer beyond the safelisted headers: where a created case is, whether a
    // submission was a replay, when to retry, and why a key was refused.
    private static readonly string[] ExposedHeaders = ["Location", "Idempotent-Replayed", "Retry-After", "WWW-Authenticate"];

    internal bool Enabled => AllowedOrigins.Count > 0;

    /// <summary>Throws naming the setting when an origin is not one a browser could send.</summary>
    internal void Validate()
    {
        for (var i = 0; i < AllowedOrigins.Count; i++)
        {
            var origin = AllowedOrigins[i];
            if (origin == "*")
            {
                continue;
            }

            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || origin.EndsWith('/') || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            {
                throw new InvalidOperationException(
                    $"{Section}:AllowedOrigins:{i}: '{origin}' is not an origin; write scheme://host[:port] with no path, as https://console.example.com, or * for any.");
            }

            // A browser sends the origin in its serialised form: lowercase, without a default port. Any other spelling would never match.
            if (uri.GetLeftPart(UriPartial.Authority) is var serialised && !string.Equals(serialised, origin, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{Section}:AllowedOrigins:{i}: write '{origin}' as a browser sends it, '{serialised}' (lowercase, no default port), or it never matches.");
            }
        }

        if (PreflightMaxAge < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:PreflightMaxAge: must not be negative.");
        }
    }

    internal void Configure(CorsPolicyBuilder policy)
    {
        if (AllowedOrigins.Contains("*"))
        {
            policy.AllowAnyOrigin();
        }
        else
        {
            policy.WithOrigins([.. AllowedOrigins]);
        }

        policy.AllowAnyMethod().AllowAnyHeader().WithExposedHeaders(ExposedHeaders).SetPreflightMaxAge(PreflightMaxAge);
    }

    /// <summary>The paths CORS applies to: the API, MCP and the OpenAPI document.</summary>
    internal static bool Covers(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/mcp") || path.StartsWithSegments("/openapi");
}
