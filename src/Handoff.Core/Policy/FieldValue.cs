using System.Text.Json;

namespace Handoff.Core.Policy;

/// <summary>
/// A field's value during evaluation, without copying: JSON strings stay inside their <see cref="JsonElement"/>
/// so equality can use <see cref="JsonElement.ValueEquals(string)"/> instead of allocating a string.
/// </summary>
internal readonly struct FieldValue
{
    private readonly string? _string;
    private readonly JsonElement _element;

    private FieldValue(FieldKind kind, string? text, double number, JsonElement element)
    {
        Kind = kind;
        _string = text;
        Number = number;
        _element = element;
    }

    public static FieldValue Missing => default;

    public FieldKind Kind { get; }

    public double Number { get; }

    public bool Bool => Number != 0;

    /// <summary>The array itself when <see cref="Kind"/> is <see cref="FieldKind.Array"/>.</summary>
    public JsonElement Element => _element;

    public static FieldValue Of(string? text) =>
        text is null ? Missing : new FieldValue(FieldKind.String, text, 0, default);

    public static FieldValue Of(double? number) =>
        number is double value ? new FieldValue(FieldKind.Number, null, value, default) : Missing;

    public static FieldValue Present() => new(FieldKind.Object, null, 0, default);

    public static FieldValue Of(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new FieldValue(FieldKind.String, null, 0, element),
        // A number beyond double's range reads as an infinity, which compares correctly. Should a number still not
        // read, it is present: calling it missing would let it past every rule on the field, so the condition fails.
        JsonValueKind.Number => element.TryGetDouble(out var number)
            ? Of(number)
            : throw new ConditionException($"the number {element.GetRawText()} cannot be read"),
        JsonValueKind.True => new FieldValue(FieldKind.Bool, null, 1, default),
        JsonValueKind.False => new FieldValue(FieldKind.Bool, null, 0, default),
        JsonValueKind.Array => new FieldValue(FieldKind.Array, null, 0, element),
        JsonValueKind.Object => new FieldValue(FieldKind.Object, null, 0, element),
        _ => Missing,
    };

    /// <summary>
    /// The value as a number for <c>gt</c>/<c>gte</c>/<c>lt</c>/<c>lte</c>: a number, or a string that is one
    /// ("1450", "1450.5", "1e400" as infinity, invariant culture). Agents send amounts as strings often enough that
    /// refusing them would let a 5,000 deal through a "gt: 1000" rule unreviewed. NaN (a proposal's confidence from
    /// an in-process caller, or the text "NaN") is not a number: no comparison with it holds.
    /// </summary>
    public bool TryGetNumber(out double number)
    {
        number = Number;
        return (Kind == FieldKind.Number && !double.IsNaN(number))
            || (Kind == FieldKind.String
                && double.TryParse(GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out number)
                && !double.IsNaN(number));
    }

    /// <summary>The string; only valid when <see cref="Kind"/> is <see cref="FieldKind.String"/>.</summary>
    public string GetString() => _string ?? _element.GetString() ?? string.Empty;

    /// <summary>Ordinal, case-sensitive equality; only valid when <see cref="Kind"/> is <see cref="FieldKind.String"/>.</summary>
    public bool StringEquals(string other) =>
        _string is not null ? string.Equals(_string, other, StringComparison.Ordinal) : _element.ValueEquals(other);
}
