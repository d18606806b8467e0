namespace Handoff.Core.Notifications.Webhooks;

/// <summary>The Standard Webhooks headers every delivery carries (lower case, as the spec writes them).</summary>
public static class WebhookHeaders
{
    /// <summary>The event's id: the same on every attempt, so a receiver can de-duplicate on it.</summary>
    public const string Id = "webhook-id";

    /// <summary>When this attempt was signed, in whole seconds since the Unix epoch.</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary>One or more signatures, space-separated: <c>v1,&lt;base64 HMAC-SHA256&gt;</c>, one per secret in force.</summary>
    public const string Signature = "webhook-signature";
}
