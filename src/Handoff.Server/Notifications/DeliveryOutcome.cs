namespace Handoff.Server.Notifications;

/// <summary>How one attempt went. The delivery worker decides from it whether to retry, when, or to give up.</summary>
/// <param name="Delivered">The destination took it (2xx, or the SMTP server accepted the mail).</param>
/// <param name="StatusCode">The HTTP status (or SMTP reply code), when there was an answer.</param>
/// <param name="Latency">From sending to the answer (or the failure).</param>
/// <param name="ResponseExcerpt">The start of the answer's body, for the delivery log (at most a few hundred characters).</param>
/// <param name="Error">Why it failed, for people: "connection refused", "timed out after 15 s", "address 10.0.0.5 is private".</param>
/// <param name="Gone">The destination said it wants no more (HTTP 410): the endpoint is disabled, nothing is retried.</param>
/// <param name="Permanent">Retrying cannot help (a refused address, a bad configuration): give up now.</param>
/// <param name="RetryAfter">The destination asked to wait this long (<c>Retry-After</c>), or null.</param>
/// <param name="Reference">What the destination called the message (Slack's <c>channel:ts</c>, an e-mail's Message-ID), kept so that later messages about the same case can update or thread with it.</param>
public sealed record DeliveryOutcome(
    bool Delivered,
    int? StatusCode,
    TimeSpan Latency,
    string? ResponseExcerpt = null,
    string? Error = null,
    bool Gone = false,
    bool Permanent = false,
    TimeSpan? RetryAfter = null,
    string? Reference = null)
{
    public static DeliveryOutcome Ok(int? statusCode, TimeSpan latency, string? excerpt = null, string? reference = null) =>
        new(true, statusCode, latency, excerpt, Reference: reference);

    public static DeliveryOutcome Failed(string error, TimeSpan latency, int? statusCode = null, string? excerpt = null, bool permanent = false) =>
        new(false, statusCode, latency, excerpt, error, Permanent: permanent);
}
