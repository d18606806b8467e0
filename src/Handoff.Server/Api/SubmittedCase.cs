using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;

namespace Handoff.Server.Api;

/// <summary>A validated submission.</summary>
internal sealed record SubmittedCase(CaseContent Content, TimeSpan? ExpiresIn, TimeoutEffect OnTimeout, string? CallbackUrl = null)
{
    /// <summary>The longest <c>callbackUrl</c> taken.</summary>
    public const int MaxCallbackUrlLength = 2048;

    /// <summary>The longest <c>Idempotency-Key</c> taken, through the API and MCP alike.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>
    /// Whether <paramref name="earlier"/>, found under this submission's idempotency key, is this same submission: a
    /// repeat gets the earlier case, a different case under a used key is the client's bug and is refused.
    /// </summary>
    public bool SameAs(HandoffCase earlier) =>
        earlier.OnTimeout == OnTimeout
        && earlier.CallbackUrl == CallbackUrl
        && JsonSerializer.Serialize(earlier.Content, HandoffJson.Options) == JsonSerializer.Serialize(Content, HandoffJson.Options);
}
