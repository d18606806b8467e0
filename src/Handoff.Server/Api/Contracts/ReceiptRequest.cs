using Handoff.Core.Cases;
using Handoff.Server.Api.OpenApi;
using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/cases/{id}/receipt</c>: what the agent did with the approved result.</summary>
/// <param name="Outcome"><c>executed</c> or <c>failed</c>.</param>
/// <param name="ResultDigest">For <c>executed</c> (required): the SHA-256 digest, 64 lowercase hex characters, of what ran.</param>
/// <param name="Reason">For <c>failed</c> (required): why; for <c>executed</c>, an optional note. Up to 2,000 characters.</param>
public sealed record ReceiptRequest([property: Required, OneOf(typeof(ExecutionOutcome))] string? Outcome, string? ResultDigest, string? Reason);
