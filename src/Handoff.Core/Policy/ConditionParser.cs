using YamlDotNet.RepresentationModel;

namespace Handoff.Core.Policy;

/// <summary>
/// Turns a <c>when</c> map into a <see cref="Condition"/>, reporting every problem on the way. A part with a
/// problem compiles to null; the caller only builds a policy when the whole document is clean.
/// </summary>
internal sealed class ConditionParser(ProblemLog problems)
{
    public const string Operators = "eq, ne, gt, gte, lt, lte, in, notIn, contains, mentions, matches, exists";

    private static readonly HashSet<string> OperatorNames = [.. Operators.Split(", ")];

    /// <summary>
    /// A condition map: combinators and fields, all of which must hold. Recursion is bounded by
    /// <see cref="GuardedParser"/>'s nesting limit.
    /// </summary>
    public Condition? ParseMap(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Report(node, $"expected a condition map such as 'facts.amount: {{ gt: 1000 }}', got {YamlScalars.Describe(node)}");
            return null;
        }

        if (map.Children.Count == 0)
        {
            problems.Report(node, "empty condition: name at least one field, 'all', 'any' or 'not'");
            return null;
        }

        var before = problems.Count;
        var parts = new List<Condition>(map.Children.Count);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                problems.Report(keyNode, "a condition key must be a field name, 'all', 'any' or 'not'");
                continue;
            }

            var part = key switch
            {
                "all" => ParseList(key, valueNode, Conditions.All),
                "any" => ParseList(key, valueNode, Conditions.Any),
                "not" => ParseMap(valueNode) is { } inner ? Conditions.Not(inner) : null,
                _ => ParseField(keyNode, key, valueNode),
            };
            if (part is not null)
            {
                parts.Add(part);
            }
        }

        return problems.Count == before ? Conditions.All([.. parts]) : null;
    }

    private Condition? ParseList(string combinator, YamlNode node, Func<Condition[], Condition> combine)
    {
        if (node is not YamlSequenceNode list)
        {
            problems.Report(node, $"'{combinator}' needs a list of conditions, got {YamlScalars.Describe(node)}");
            return null;
        }

        if (list.Children.Count == 0)
        {
            problems.Report(node, $"'{combinator}' needs at least one condition");
            return null;
        }

        var before = problems.Count;
        var parts = new List<Condition>(list.Children.Count);
        foreach (var item in list.Children)
        {
            if (ParseMap(item) is { } part)
            {
                parts.Add(part);
            }
        }

        return problems.Count == before ? combine([.. parts]) : null;
    }

    private Condition? ParseField(YamlNode keyNode, string key, YamlNode valueNode)
    {
        var path = FieldPath.TryParse(key, out var error);
        if (path is null)
        {
            problems.Report(keyNode, OperatorNames.Contains(key)
                ? $"'{key}' is an operator, not a field: write it under a field, e.g. 'facts.amount: {{ {key}: ... }}'"
                : error!);
        }

        switch (valueNode)
        {
            // Shorthand: 'field: value' means 'field: { eq: value }'.
            case YamlScalarNode scalar:
                return path is null ? null : ParseOperator(path, "eq", scalar);
            case YamlMappingNode { Children.Count: 0 }:
                problems.Report(valueNode, $"field '{key}' has no operator (expected one of: {Operators})");
                return null;
            case YamlMappingNode operators:
                var before = problems.Count;
                var parts = new List<Condition>(operators.Children.Count);
                foreach (var (opNode, operand) in operators.Children)
                {
                    var op = (opNode as YamlScalarNode)?.Value;
                    if (op is null || !OperatorNames.Contains(op))
                    {
                        problems.Report(opNode, $"unknown operator '{op ?? YamlScalars.Describe(opNode)}' (expected one of: {Operators})");
                    }
                    else if (path is not null && ParseOperator(path, op, operand) is { } part)
                    {
                        parts.Add(part);
                    }
                }

                return path is not null && problems.Count == before ? Conditions.All([.. parts]) : null;
            default:
                problems.Report(valueNode, $"field '{key}' needs an operator map such as '{{ in: [a, b] }}' or a single value, got {YamlScalars.Describe(valueNode)}");
                return null;
        }
    }

    private Condition? ParseOperator(FieldPath path, string op, YamlNode operand)
    {
        switch (op)
        {
            case "eq" or "ne" or "contains":
                if (Scalar(op, operand, "a string, number or boolean") is not { } literal)
                {
                    return null;
                }

                return op switch
                {
                    "eq" => Conditions.Eq(path, literal),
                    "ne" => Conditions.Ne(path, literal),
                    _ => Conditions.Contains(path, literal),
                };
            case "gt" or "gte" or "lt" or "lte":
                if (Scalar(op, operand, "a number") is not { } bound)
                {
                    return null;
                }

                // 1e400 reads as infinity, and a bound no value can pass would make the rule silently never fire.
                if (bound.Kind != FieldKind.Number || !double.IsFinite(bound.Number))
                {
                    problems.Report(operand, $"operator '{op}' needs a number, got {YamlScalars.Describe(operand)}");
                    return null;
                }

                return Conditions.Compare(path, op, bound.Number);
            case "in" or "notIn":
                if (List(op, operand) is not { } items)
                {
                    return null;
                }

                return op == "in" ? Conditions.In(path, items) : Conditions.NotIn(path, items);
            case "mentions":
                return Words(operand) is { } words ? Conditions.Mentions(path, Conditions.MentionsRegex(words)) : null;
            case "matches":
                if (operand is not YamlScalarNode { Value: { Length: > 0 } pattern } || YamlScalars.IsNull(operand))
                {
                    problems.Report(operand, $"operator 'matches' needs a regular expression, got {YamlScalars.Describe(operand)}");
                    return null;
                }

                try
                {
                    return Conditions.MatchesPattern(path, op, Conditions.MatchesRegex(pattern));
                }
                catch (ArgumentException ex)
                {
                    problems.Report(operand, $"invalid regular expression '{pattern}': {ex.Message}");
                    return null;
                }
                catch (NotSupportedException ex)
                {
                    problems.Report(operand, $"regular expression '{pattern}' is not supported: {ex.Message} 'matches' runs on a linear-time engine so that no input can make it slow, and that engine has no backreferences, lookarounds, atomic groups, conditionals, balancing groups or \\G, and limits repetition counts.");
                    return null;
                }

            case "exists":
                if (operand is YamlScalarNode scalar && YamlScalars.ToLiteral(scalar) is { Kind: FieldKind.Bool } flag)
                {
                    return Conditions.Exists(path, flag.Number != 0);
                }

                problems.Report(operand, $"operator 'exists' needs true or false, got {YamlScalars.Describe(operand)}");
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "Not an operator.");
        }
    }

    private Literal? Scalar(string op, YamlNode operand, string expected)
    {
        if (operand is YamlScalarNode scalar && YamlScalars.ToLiteral(scalar) is { } literal)
        {
            return literal;
        }

        problems.Report(operand, $"operator '{op}' needs {expected}, got {YamlScalars.Describe(operand)}");
        return null;
    }

    private Literal[]? List(string op, YamlNode operand)
    {
        if (operand is not YamlSequenceNode sequence)
        {
            problems.Report(operand, $"operator '{op}' needs a list such as [a, b], got {YamlScalars.Describe(operand)}");
            return null;
        }

        var before = problems.Count;
        var items = new List<Literal>(sequence.Children.Count);
        foreach (var item in sequence.Children)
        {
            if (Scalar(op, item, "a list of strings, numbers or booleans") is { } literal)
            {
                items.Add(literal);
            }
        }

        return problems.Count == before ? [.. items] : null;
    }

    // Words keep their text as written: 'mentions: [2024]' is the word "2024", whatever YAML thinks it is.
    private string[]? Words(YamlNode operand)
    {
        const string Expected = "a word, a phrase or a list of them";
        IEnumerable<YamlNode> items = operand is YamlSequenceNode sequence ? sequence.Children : [operand];
        if (operand is YamlMappingNode || (operand is YamlSequenceNode { Children.Count: 0 }))
        {
            problems.Report(operand, $"operator 'mentions' needs {Expected}, got {YamlScalars.Describe(operand)}");
            return null;
        }

        var before = problems.Count;
        var words = new List<string>();
        foreach (var item in items)
        {
            if (item is YamlScalarNode { Value: { } word } && !YamlScalars.IsNull(item) && !string.IsNullOrWhiteSpace(word))
            {
                words.Add(word);
            }
            else
            {
                problems.Report(item, $"operator 'mentions' needs {Expected}, got {YamlScalars.Describe(item)}");
            }
        }

        return problems.Count == before ? [.. words] : null;
    }
}
