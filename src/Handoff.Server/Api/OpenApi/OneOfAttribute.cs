namespace Handoff.Server.Api.OpenApi;

/// <summary>
/// The values a string field of a request accepts, for the OpenAPI contract: the names of an enum as the API writes
/// them (camelCase), or a list. The endpoint's validator is what enforces them; this only tells clients.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class OneOfAttribute : Attribute
{
    public OneOfAttribute(params string[] values) => Values = values;

    public OneOfAttribute(Type enumType) => Values = NamesOf(enumType);

    public IReadOnlyList<string> Values { get; }

    /// <summary>An enum's names as the API writes and reads them (camelCase, as <c>HandoffJson</c>'s converter has them).</summary>
    public static string[] NamesOf(Type enumType) => [.. Enum.GetNames(enumType).Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName)];
}
