using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Server.Api;

namespace Handoff.Server.Dashboard.Shared;

/// <summary>
/// One tool argument as a form field: strings, numbers and true/false get inputs of their kind; anything else
/// (objects, arrays, null) is edited as JSON text.
/// </summary>
internal sealed class ArgumentField
{
    public required string Name { get; init; }
    public required JsonValueKind Kind { get; init; }
    public string Text { get; set; } = "";
    public bool Flag { get; set; }

    public static List<ArgumentField> From(JsonElement arguments) =>
        arguments.ValueKind != JsonValueKind.Object ? [] : [.. arguments.EnumerateObject().Select(p => new ArgumentField
        {
            Name = p.Name,
            Kind = p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.True : p.Value.ValueKind,
            Text = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(),
            Flag = p.Value.ValueKind == JsonValueKind.True,
        })];

    /// <summary>The arguments as a JSON object, or the first field that does not hold a valid value.</summary>
    public static (JsonElement Arguments, string? Problem) Build(IEnumerable<ArgumentField> fields)
    {
        var result = new JsonObject();
        foreach (var field in fields)
        {
            switch (field.Kind)
            {
                case JsonValueKind.String:
                    result[field.Name] = field.Text;
                    break;
                case JsonValueKind.True:
                    result[field.Name] = field.Flag;
                    break;
                case JsonValueKind.Number:
                    if (Parse(field.Text) is not { ValueKind: JsonValueKind.Number } number)
                    {
                        return (default, $"{field.Name} must be a number, like 1250 or 12.5.");
                    }

                    if (JsonObjects.Problem(number) is { } tooLarge)
                    {
                        return (default, $"{field.Name}: {tooLarge}");
                    }

                    result[field.Name] = JsonValue.Create(number);
                    break;
                default:
                    if (Parse(field.Text) is not { } value)
                    {
                        return (default, $"{field.Name} must be valid JSON.");
                    }

                    // What the API refuses in arguments (a key named twice, a number too large) the form refuses too.
                    if (JsonObjects.Problem(value) is { } problem)
                    {
                        return (default, $"{field.Name}: {problem}");
                    }

                    result[field.Name] = JsonSerializer.SerializeToNode(value);
                    break;
            }
        }

        return (JsonSerializer.SerializeToElement(result), null);
    }

    private static JsonElement? Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
