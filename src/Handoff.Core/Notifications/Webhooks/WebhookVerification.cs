namespace Handoff.Core.Notifications.Webhooks;

/// <summary>The result of <c>WebhookSignature.Verify</c>: whether the delivery is genuine, and if not, why.</summary>
/// <param name="Failure"><see cref="WebhookVerificationFailure.None"/> when it verified.</param>
/// <param name="Message">Why it failed, for people (null when it verified).</param>
/// <param name="Timestamp">The signed <c>webhook-timestamp</c>, once it could be read.</param>
public sealed record WebhookVerification(WebhookVerificationFailure Failure, string? Message, DateTimeOffset? Timestamp)
{
    public bool Verified => Failure == WebhookVerificationFailure.None;

    internal static WebhookVerification Fail(WebhookVerificationFailure failure, string message, DateTimeOffset? timestamp = null) =>
        new(failure, message, timestamp);
}
