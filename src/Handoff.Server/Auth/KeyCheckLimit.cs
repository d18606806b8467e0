using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Auth;

/// <summary>
/// The limit on guessing API keys (<see cref="GuessLimits.FailedKeysPerAddress"/>): an address that sent too many
/// unknown or revoked keys gets 429 for every request carrying a key, before the key is looked at, until its window
/// ends. Other addresses, and requests without a key (the dashboard), are not touched.
/// </summary>
internal static class KeyCheckLimit
{
    /// <summary>Runs before <c>UseAuthentication</c>: the handler checks each request's key once, and this asks first.</summary>
    public static IApplicationBuilder UseKeyCheckLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        string? header = context.Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var limiter = context.RequestServices.GetRequiredService<GuessLimits>().FailedKeysPerAddress;
        var address = ClientAddress.Of(context);
        if (limiter.RetryAfter(address) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            // The framework's problem defaults have no title or type for 429: named here, after its RFC.
            await TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too Many Requests",
                type: "https://tools.ietf.org/html/rfc6585#section-4",
                detail: $"Too many unknown or revoked API keys from this address; retry after {seconds} seconds.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // The handler caches its result for the request, so authentication after this does not look the key up again.
        if (!(await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName).ConfigureAwait(false)).Succeeded)
        {
            limiter.Take(address);
        }

        await next(context).ConfigureAwait(false);
    });
}
