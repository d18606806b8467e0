namespace Handoff.Core.Notifications.Webhooks;

/// <summary>What a receiver's answer (or its absence) means for a delivery, as Standard Webhooks reads HTTP statuses.</summary>
public enum WebhookAnswer
{
    /// <summary>2xx: the receiver took it.</summary>
    Delivered,

    /// <summary>Any other status (3xx included: redirects are not followed), or no answer at all: tried again on the schedule.</summary>
    Failed,

    /// <summary>429, 502, 503 or 504: the receiver is overloaded; tried again, no sooner than its <c>Retry-After</c>.</summary>
    Throttled,

    /// <summary>410: the receiver wants no more. Nothing is retried and the endpoint is disabled.</summary>
    Gone,
}
