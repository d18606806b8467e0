using Handoff.Server.Api.OpenApi;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/cases/{id}/decision</c>.</summary>
/// <param name="Verdict">approve | edit | choose | reject | respond.</param>
/// <param name="Text">Edited text (edit), the reason (reject, required) or the answer (respond, required).</param>
/// <param name="Arguments">Edited tool arguments, a JSON object (edit).</param>
/// <param name="Option">0-based index of the chosen alternative (choose).</param>
/// <param name="Note">A note kept with the decision.</param>
public sealed record DecideRequest([property: Required, OneOf("approve", "edit", "choose", "reject", "respond")] string? Verdict, string? Text, JsonElement Arguments, int? Option, string? Note);
