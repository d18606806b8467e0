using System.Text.Json;

namespace Handoff.Server.Api;

internal static class JsonObjects
{
    /// <summary>
    /// True when an object anywhere inside <paramref name="value"/> names a property twice. Free JSON (subject,
    /// facts, tool arguments) is kept as it came, and two values for one name would mean different things to the
    /// policy (which reads the first), to digests and to people, so such input is refused.
    /// </summary>
    public static bool HasRepeatedProperty(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    if (!names.Add(property.Name) || HasRepeatedProperty(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (HasRepeatedProperty(item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
