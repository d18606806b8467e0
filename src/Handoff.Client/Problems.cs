using System.Net;
using System.Text;
using System.Text.Json;

namespace Handoff.Client;

/// <summary>Turns an error answer into a <see cref="HandoffProblemException"/>.</summary>
internal static class Problems
{
    private const int MaxDetailLength = 500;

    public static HandoffProblemException From(Reply reply)
    {
        try
        {
            using var document = JsonDocument.Parse(reply.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return FromProblem(reply, document.RootElement);
            }
        }
        catch (JsonException)
        {
            // Not JSON: an error page from something in between, such as a proxy.
        }

        var text = Encoding.UTF8.GetString(reply.Body).Trim();
        return new HandoffProblemException(
            reply.Status, reply.ReasonPhrase, text.Length > MaxDetailLength ? text[..MaxDetailLength] + "…" : text.Length == 0 ? null : text);
    }

    private static HandoffProblemException FromProblem(Reply reply, JsonElement problem)
    {
        string? type = null, title = null, detail = null;
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        var extensions = new Dictionary<string, JsonElement>();
        foreach (var member in problem.EnumerateObject())
        {
            switch (member.Name)
            {
                case "type":
                    type = Text(member.Value);
                    break;
                case "title":
                    title = Text(member.Value);
                    break;
                case "detail":
                    detail = Text(member.Value);
                    break;
                case "status":
                    break; // the response's own status is the one that counts
                case "errors" when member.Value.ValueKind == JsonValueKind.Object:
                    foreach (var field in member.Value.EnumerateObject())
                    {
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? [.. field.Value.EnumerateArray().Select(m => Text(m) ?? m.GetRawText())]
                            : [Text(field.Value) ?? field.Value.GetRawText()];
                    }

                    break;
                default:
                    extensions[member.Name] = member.Value.Clone();
                    break;
            }
        }

        return new HandoffProblemException(reply.Status, title ?? reply.ReasonPhrase, detail, type, errors, extensions);
    }

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
