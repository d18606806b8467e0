namespace Handoff.Core.Notifications.Webhooks;

/// <summary>Why a delivery did not verify.</summary>
public enum WebhookVerificationFailure
{
    /// <summary>It verified.</summary>
    None,

    /// <summary><c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> is absent or empty.</summary>
    MissingHeader,

    /// <summary><c>webhook-timestamp</c> is not a whole number of seconds since the Unix epoch.</summary>
    BadTimestamp,

    /// <summary>It was signed longer ago than the tolerance: a replay, or a clock far behind.</summary>
    TooOld,

    /// <summary>It claims to be signed further in the future than the tolerance: a clock far ahead.</summary>
    TooNew,

    /// <summary>No <c>v1</c> signature in the header matches the body under any of the secrets.</summary>
    NoMatchingSignature,
}
