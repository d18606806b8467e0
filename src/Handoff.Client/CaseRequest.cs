using System.Text.Json.Nodes;

namespace Handoff.Client;

/// <summary>A case to submit: everything <c>POST /v1/cases</c> takes, and the <c>Idempotency-Key</c>.</summary>
public sealed record CaseRequest
{
    /// <summary>What kind of case it is (required).</summary>
    public required CaseKind Kind { get; init; }

    /// <summary>A one-line summary for the reviewer (at most 100,000 characters).</summary>
    public string? Summary { get; init; }

    /// <summary>Free text: <c>chat</c>, <c>email</c>, <c>voice</c>, ….</summary>
    public string? Channel { get; init; }

    /// <summary>The customer: <c>id</c>, <c>name</c>, attributes such as <c>returning</c> or <c>tier</c>.</summary>
    public JsonObject? Subject { get; init; }

    /// <summary>Free JSON the policy reads (<c>amount</c>, <c>topic</c>, …).</summary>
    public JsonObject? Facts { get; init; }

    /// <summary>The conversation that led to the case.</summary>
    public IReadOnlyList<Message>? Conversation { get; init; }

    /// <summary>What the agent proposes to do. The decision is checked against exactly this.</summary>
    public Proposal? Proposal { get; init; }

    /// <summary>Alternatives a reviewer may choose (by 0-based index) instead of the proposal.</summary>
    public IReadOnlyList<Proposal>? Options { get; init; }

    /// <summary>How long a person has, from 1 second to 365 days; applies only if the case is pending. Null: no deadline.</summary>
    public TimeSpan? ExpiresIn { get; init; }

    /// <summary>What happens when the deadline passes. Null: the server's default, <see cref="TimeoutEffect.Reject"/>.</summary>
    public TimeoutEffect? OnTimeout { get; init; }

    /// <summary>
    /// Where the server posts the decision, signed as webhooks are (check it with <see cref="HandoffWebhook"/> and the
    /// workspace's callback secret): an absolute http(s) URL. Null: no callback; wait or follow events instead.
    /// </summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>
    /// Makes the submission safe to repeat: the same key with the same case creates nothing new. Null: the client
    /// makes one for this call and uses it for every retry of the call. Pass your own (1–200 characters, derived from
    /// something stable such as an order id) to make a submission repeated by your own code, or after a restart of
    /// your process, safe too.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
