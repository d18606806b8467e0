using Handoff.Core.Cases;
using Handoff.Server.Api.OpenApi;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/cases</c>.</summary>
/// <param name="Kind">reply | action | question | handoff.</param>
/// <param name="ExpiresIn">Seconds as a number, or a duration such as "90s", "15m", "2h", "1d", "00:15:00".</param>
/// <param name="OnTimeout">reject (default) | approve | escalate.</param>
/// <param name="CallbackUrl">Where to post the decision (signed as webhooks are), an absolute http(s) URL; optional.</param>
public sealed record SubmitCaseRequest(
    [property: Required, OneOf(typeof(CaseKind))] string? Kind,
    string? Summary,
    string? Channel,
    JsonElement Subject,
    JsonElement Facts,
    IReadOnlyList<MessageBody?>? Conversation,
    ProposalBody? Proposal,
    IReadOnlyList<ProposalBody?>? Options,
    JsonElement ExpiresIn,
    [property: OneOf(typeof(TimeoutEffect))] string? OnTimeout,
    string? CallbackUrl = null);
