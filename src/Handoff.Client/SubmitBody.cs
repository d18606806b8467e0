using System.Text.Json.Nodes;

namespace Handoff.Client;

/// <summary>The body of <c>POST /v1/cases</c> as it goes on the wire (<see cref="CaseRequest"/> minus the header, the expiry in seconds).</summary>
internal sealed record SubmitBody(
    CaseKind Kind,
    string? Summary,
    string? Channel,
    JsonObject? Subject,
    JsonObject? Facts,
    IReadOnlyList<Message>? Conversation,
    Proposal? Proposal,
    IReadOnlyList<Proposal>? Options,
    double? ExpiresIn,
    TimeoutEffect? OnTimeout,
    Uri? CallbackUrl)
{
    public static SubmitBody From(CaseRequest request) => new(
        request.Kind, request.Summary, request.Channel, request.Subject, request.Facts, request.Conversation,
        request.Proposal, request.Options, request.ExpiresIn?.TotalSeconds, request.OnTimeout, request.CallbackUrl);
}
