namespace Handoff.Client;

/// <summary>
/// A webhook delivery that did not verify: answer it with an error status (401 or 400) and act on nothing in it.
/// <see cref="Reason"/> says why, for code; the message says it for people.
/// </summary>
public sealed class HandoffWebhookException : HandoffException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the delivery was refused.</param>
    /// <param name="message">Why, for people.</param>
    /// <param name="innerException">What failed underneath (a JSON error for <see cref="HandoffWebhookFailure.InvalidBody"/>), or null.</param>
    public HandoffWebhookException(HandoffWebhookFailure reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the delivery was refused.</summary>
    public HandoffWebhookFailure Reason { get; }
}
