namespace Handoff.Client;

/// <summary>Why <see cref="HandoffWebhook"/> refused a delivery.</summary>
public enum HandoffWebhookFailure
{
    /// <summary><c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> is absent or empty.</summary>
    MissingHeader,

    /// <summary><c>webhook-timestamp</c> is not a whole number of seconds since the Unix epoch.</summary>
    BadTimestamp,

    /// <summary>It was signed longer ago than <see cref="HandoffWebhook.Tolerance"/>: a replay, or this clock is ahead.</summary>
    TooOld,

    /// <summary>It claims to be signed further ahead than <see cref="HandoffWebhook.Tolerance"/>: this clock is behind.</summary>
    TooNew,

    /// <summary>No <c>v1</c> signature matches the body under any of the secrets: not from Handoff, altered, or signed with another secret.</summary>
    NoMatchingSignature,

    /// <summary>The signature is right but the body is not a Handoff event (a JSON object with a <c>type</c>).</summary>
    InvalidBody,
}
