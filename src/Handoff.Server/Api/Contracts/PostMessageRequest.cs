using Handoff.Core.Cases;
using Handoff.Server.Api.OpenApi;
using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/cases/{id}/messages</c>.</summary>
/// <param name="Role">customer | agent (an agent key) or person (the reviewer who took the conversation over).</param>
/// <param name="Text">What was said, 1 to 8,000 characters.</param>
public sealed record PostMessageRequest([property: Required, OneOf(typeof(CaseMessageRole))] string? Role, [property: Required] string? Text);
