using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary>A case as every backend stores it: one JSON document in Handoff's JSON shape.</summary>
internal static class CaseDocument
{
    public static string Serialize(HandoffCase handoffCase) => JsonSerializer.Serialize(handoffCase, HandoffJson.Options);

    // Documents are written by Serialize, so their names match exactly; matching them exactly also makes the JsonNodes
    // read back (a decision's changes) case-sensitive, where the web options would fold "line" and "Line" into one
    // key that throws when enumerated.
    private static readonly JsonSerializerOptions Reading = new(HandoffJson.Options) { PropertyNameCaseInsensitive = false };

    public static HandoffCase Deserialize(string json) =>
        JsonSerializer.Deserialize<HandoffCase>(json, Reading) ?? throw new JsonException("A stored case document is null.");
}
