using System.Text.Json;
using System.Text.Json.Serialization;
using Handoff.Core;
using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary>A case as every backend stores it: one JSON document in Handoff's JSON shape.</summary>
internal static class CaseDocument
{
    // HandoffJson writes an absent (undefined) subject, facts, signals or arguments as null; reading it back must
    // give undefined again, or a stored case would differ from the one submitted. Converters listed first win.
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize(HandoffCase handoffCase) => JsonSerializer.Serialize(handoffCase, Options);

    public static HandoffCase Deserialize(string json) =>
        JsonSerializer.Deserialize<HandoffCase>(json, Options) ?? throw new JsonException("A stored case document is null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(HandoffJson.Options);
        options.Converters.Insert(0, new NullAsUndefinedJsonElementConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class NullAsUndefinedJsonElementConverter : JsonConverter<JsonElement>
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
