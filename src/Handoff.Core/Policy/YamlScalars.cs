using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Handoff.Core.Policy;

/// <summary>
/// Reads YAML scalars the way YAML 1.2's core schema types them: unquoted <c>true</c>/<c>false</c> are
/// booleans, unquoted numbers are numbers, unquoted <c>null</c>/<c>~</c>/nothing is null, anything quoted is a
/// string. So <c>eq: 1000</c> compares with the number 1000 and <c>eq: "1000"</c> with the string.
/// </summary>
internal static partial class YamlScalars
{
    private const string StringTag = "tag:yaml.org,2002:str";

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode scalar && IsPlain(scalar) && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The scalar as a literal, or null when it is YAML null.</summary>
    public static Literal? ToLiteral(YamlScalarNode scalar)
    {
        if (IsNull(scalar))
        {
            return null;
        }

        var text = scalar.Value ?? string.Empty;
        if (IsPlain(scalar))
        {
            if (TryBool(text, out var flag))
            {
                return Literal.Of(flag);
            }

            if (TryNumber(text, out var number))
            {
                return Literal.Of(number);
            }
        }

        return Literal.Of(text);
    }

    /// <summary>How a node reads in a message: <c>'abc'</c>, <c>a list</c>, <c>a map</c>, <c>null</c>.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a map",
        YamlScalarNode scalar when IsNull(scalar) => "null",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "an alias",
    };

    private static bool IsPlain(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && (scalar.Tag.IsEmpty || scalar.Tag.Value != StringTag);

    private static bool TryBool(string text, out bool value)
    {
        switch (text)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static bool TryNumber(string text, out double value)
    {
        value = 0;
        return NumberPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
