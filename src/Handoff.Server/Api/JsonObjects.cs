using System.Text.Json;

namespace Handoff.Server.Api;

internal static class JsonObjects
{
    /// <summary>
    /// What is wrong with free JSON (subject, facts, tool arguments) that would break it later, or null when nothing:
    /// a property named twice (the policy would read one value, people another), text that is not valid Unicode (a
    /// lone surrogate escape such as <c>"\ud800"</c> cannot be written back out), or a number too large to be one.
    /// </summary>
    public static string? Problem(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    if (!TryText(() => property.Name, out var name))
                    {
                        return "A property name is not valid Unicode.";
                    }

                    if (!names.Add(name))
                    {
                        return $"Names the property '{name}' more than once.";
                    }

                    if (Problem(property.Value) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (Problem(item) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                return TryText(value.GetString, out _) ? null : "A text value is not valid Unicode.";
            case JsonValueKind.Number:
                return value.TryGetDouble(out var number) && double.IsFinite(number) ? null : "A number is too large.";
            default:
                return null;
        }
    }

    private static bool TryText(Func<string?> read, out string text)
    {
        try
        {
            text = read() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }
}
