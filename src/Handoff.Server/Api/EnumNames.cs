using System.Collections.Frozen;
using System.Text.Json;

namespace Handoff.Server.Api;

/// <summary>An enum's names as the API writes them (camelCase), computed once per enum type.</summary>
internal static class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    public static readonly FrozenDictionary<string, TEnum> Values =
        Enum.GetValues<TEnum>().ToFrozenDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), StringComparer.Ordinal);

    public static readonly string Allowed = string.Join(", ", Values.Keys.Order(StringComparer.Ordinal));
}
