using System.Text.Json;
using System.Text.Json.Serialization;

namespace Handoff.Client;

/// <summary>The server's JSON shape: camelCase names, enums as camelCase strings, nulls left out.</summary>
internal static class ClientJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // The server writes exact names; and a JsonObject read with case-insensitive options folds "a" and "A",
        // two keys in JSON, and throws when enumerated.
        PropertyNameCaseInsensitive = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}
