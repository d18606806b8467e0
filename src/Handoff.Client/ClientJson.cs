using System.Text.Json;
using System.Text.Json.Serialization;

namespace Handoff.Client;

/// <summary>The server's JSON shape: camelCase names, enums as camelCase strings, nulls left out.</summary>
internal static class ClientJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}
