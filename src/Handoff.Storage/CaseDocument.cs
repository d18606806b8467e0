using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary>A case as every backend stores it: one JSON document in Handoff's JSON shape.</summary>
internal static class CaseDocument
{
    public static string Serialize(HandoffCase handoffCase) => JsonSerializer.Serialize(handoffCase, HandoffJson.Options);

    public static HandoffCase Deserialize(string json) =>
        JsonSerializer.Deserialize<HandoffCase>(json, HandoffJson.Options) ?? throw new JsonException("A stored case document is null.");
}
