using System.Text.Json;

namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>PUT /v1/routing/settings</c>; absent fields keep their current values.</summary>
/// <param name="QueuedWeight">What a queued case counts against a person's capacity, 1..100.</param>
/// <param name="LiveWeight">What a live conversation counts, 1..100.</param>
/// <param name="AwayAfter">Seconds or a duration ("2m"), 30 s..1 d: how long without a live dashboard before online counts as away.</param>
public sealed record RoutingSettingsBody(int? QueuedWeight, int? LiveWeight, JsonElement AwayAfter);
