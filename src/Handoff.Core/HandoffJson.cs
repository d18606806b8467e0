using System.Text.Json;
using System.Text.Json.Serialization;

namespace Handoff.Core;

/// <summary>The one JSON shape Handoff uses everywhere: camelCase names, enums as camelCase strings, nulls left out.</summary>
public static class HandoffJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies Handoff's settings to options owned by someone else (ASP.NET Core's, for example).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;   // numbers are numbers: "5" is refused, as the API says
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new UndefinedAsNullJsonElementConverter());
        return options;
    }

    // An absent subject, facts or arguments is a default (undefined) JsonElement, which System.Text.Json refuses to
    // write: it goes out as null, and null comes back as undefined, so "absent" survives a round trip (a stored
    // case reads back equal to the one submitted) and null and absent never mean two things.
    private sealed class UndefinedAsNullJsonElementConverter : JsonConverter<JsonElement>
    {
        public override bool HandleNull => true;

        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? default : JsonElement.ParseValue(ref reader);

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
        {
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }
    }
}
