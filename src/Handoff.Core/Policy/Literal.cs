namespace Handoff.Core.Policy;

/// <summary>A scalar from the policy document: a string, a number or a boolean (never null).</summary>
internal sealed record Literal(FieldKind Kind, string Text, double Number)
{
    public static Literal Of(string text) => new(FieldKind.String, text, 0);

    public static Literal Of(double number) => new(FieldKind.Number, string.Empty, number);

    public static Literal Of(bool value) => new(FieldKind.Bool, string.Empty, value ? 1 : 0);

    /// <summary>
    /// <c>eq</c>: numbers numerically, strings ordinally and case-sensitively, booleans by value. Different types
    /// never match: the string "1000" is not the number 1000.
    /// </summary>
    public bool Matches(in FieldValue value) => value.Kind == Kind && Kind switch
    {
        FieldKind.String => value.StringEquals(Text),
        FieldKind.Number or FieldKind.Bool => value.Number == Number,
        _ => false,
    };
}
