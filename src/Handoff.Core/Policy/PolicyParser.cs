using System.Globalization;
using Handoff.Core.Cases;
using YamlDotNet.RepresentationModel;

namespace Handoff.Core.Policy;

/// <summary>
/// Reads a loaded policy document: the <c>defaults</c> section and every rule. Keeps going after a problem so
/// the author sees all of them at once; the result is only meaningful when no problem was reported.
/// </summary>
internal sealed class PolicyParser(ProblemLog problems)
{
    private const string RuleKeys = "id, when, outcome, reason, team, skills, priority, sla, mode, pinned, confidenceFloor";
    private const string DefaultsKeys = "confidenceFloor, lowConfidence, team, mode, sla";
    private const string Outcomes = "auto, review, escalate, block";
    private const string Priorities = "low, normal, high, urgent";
    private const string Modes = "live, queue, either";

    // Evaluation adds reasons under these ids itself; a rule using one would make reasons ambiguous.
    private static readonly HashSet<string> ReservedIds = ["low-confidence", "autonomy-stopped"];

    private readonly ConditionParser _conditions = new(problems);

    public (PolicyDefaults Defaults, List<CompiledRule> Rules) ParseDocument(YamlNode? root)
    {
        var defaults = PolicyDefaults.Standard;
        var rules = new List<CompiledRule>();
        if (root is null || YamlScalars.IsNull(root))
        {
            return (defaults, rules);
        }

        if (root is not YamlMappingNode map)
        {
            problems.Report(root, $"a policy is a map with 'defaults' and 'rules', got {YamlScalars.Describe(root)}");
            return (defaults, rules);
        }

        foreach (var (key, value) in Entries(map, "the policy", "defaults, rules"))
        {
            switch (key)
            {
                case "defaults":
                    defaults = ParseDefaults(value);
                    break;
                case "rules":
                    rules = ParseRules(value);
                    break;
            }
        }

        return (defaults, rules);
    }

    private PolicyDefaults ParseDefaults(YamlNode node)
    {
        var defaults = PolicyDefaults.Standard;
        if (YamlScalars.IsNull(node))
        {
            return defaults;
        }

        if (node is not YamlMappingNode map)
        {
            problems.Report(node, $"'defaults' must be a map, got {YamlScalars.Describe(node)}");
            return defaults;
        }

        foreach (var (key, value) in Entries(map, "defaults", DefaultsKeys))
        {
            switch (key)
            {
                case "confidenceFloor" when Floor(value) is { } floor:
                    defaults = defaults with { ConfidenceFloor = floor };
                    break;
                case "lowConfidence" when Text(key, value) is { } text:
                    if (text is "review" or "escalate")
                    {
                        defaults = defaults with { LowConfidence = text == "review" ? Outcome.Review : Outcome.Escalate };
                    }
                    else
                    {
                        problems.Report(value, $"unknown lowConfidence outcome '{text}' (expected one of: review, escalate)");
                    }

                    break;
                case "team" when Text(key, value) is { } team:
                    defaults = defaults with { Team = team };
                    break;
                case "mode" when Named<HandoffMode>(key, value, Modes) is { } mode:
                    defaults = defaults with { Mode = mode };
                    break;
                case "sla" when Durations.Sla(value, problems) is { } sla:
                    defaults = defaults with { Sla = sla };
                    break;
            }
        }

        return defaults;
    }

    private List<CompiledRule> ParseRules(YamlNode node)
    {
        var rules = new List<CompiledRule>();
        if (YamlScalars.IsNull(node))
        {
            return rules;
        }

        if (node is not YamlSequenceNode list)
        {
            problems.Report(node, $"'rules' must be a list of rules, got {YamlScalars.Describe(node)}");
            return rules;
        }

        var firstLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in list.Children)
        {
            if (ParseRule(item, firstLines) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private CompiledRule? ParseRule(YamlNode node, Dictionary<string, int> firstLines)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Report(node, $"a rule must be a map with at least 'id', 'when' and 'reason', got {YamlScalars.Describe(node)}");
            return null;
        }

        var before = problems.Count;
        string? id = null, reason = null, team = null;
        Outcome? outcome = null;
        Priority? priority = null;
        IReadOnlyList<string> skills = [];
        TimeSpan? sla = null;
        HandoffMode? mode = null;
        double? floor = null;
        var pinned = false;
        Condition? when = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(map, "a rule", RuleKeys))
        {
            seen.Add(key);
            switch (key)
            {
                case "id":
                    id = Text(key, value);
                    if (id is null)
                    {
                        break;
                    }

                    if (ReservedIds.Contains(id))
                    {
                        problems.Report(value, $"rule id '{id}' is reserved for the reasons the engine adds itself");
                    }
                    else if (firstLines.TryGetValue(id, out var firstLine))
                    {
                        problems.Report(value, $"duplicate rule id '{id}' (first at line {firstLine})");
                    }
                    else
                    {
                        firstLines.Add(id, (int)value.Start.Line);
                    }

                    break;
                case "when":
                    when = _conditions.ParseMap(value);
                    break;
                case "outcome":
                    outcome = Named<Outcome>(key, value, Outcomes);
                    break;
                case "reason":
                    reason = Text(key, value);
                    break;
                case "team":
                    team = Text(key, value);
                    break;
                case "skills":
                    skills = Skills(value);
                    break;
                case "priority":
                    priority = Named<Priority>(key, value, Priorities);
                    break;
                case "sla":
                    sla = Durations.Sla(value, problems);
                    break;
                case "mode":
                    mode = Named<HandoffMode>(key, value, Modes);
                    break;
                case "pinned":
                    if (value is YamlScalarNode scalar && YamlScalars.ToLiteral(scalar) is { Kind: FieldKind.Bool } flag)
                    {
                        pinned = flag.Number != 0;
                    }
                    else
                    {
                        problems.Report(value, $"'pinned' must be true or false, got {YamlScalars.Describe(value)}");
                    }

                    break;
                case "confidenceFloor":
                    floor = Floor(value);
                    break;
            }
        }

        var name = id is null ? "rule" : $"rule '{id}'";
        if (!seen.Contains("id"))
        {
            problems.Report(map, "rule is missing 'id'");
        }

        if (!seen.Contains("when"))
        {
            problems.Report(map, $"{name} is missing 'when'");
        }

        if (!seen.Contains("reason"))
        {
            problems.Report(map, $"{name} is missing 'reason'");
        }

        if (!seen.Contains("outcome") && !seen.Contains("confidenceFloor"))
        {
            problems.Report(map, $"{name} needs an 'outcome', a 'confidenceFloor' or both");
        }

        if (problems.Count != before || id is null || reason is null || when is null)
        {
            return null;
        }

        var descriptor = new PolicyRule(id, outcome, reason, team, priority, pinned, floor, (int)map.Start.Line)
        {
            Skills = skills,
            Sla = sla,
            Mode = mode,
        };
        return new CompiledRule(descriptor, when);
    }

    /// <summary>The map's entries with plain-name keys; reports non-scalar and unknown keys.</summary>
    private IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode map, string where, string expected)
    {
        var known = expected.Split(", ");
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                problems.Report(keyNode, $"keys in {where} must be plain names, got {YamlScalars.Describe(keyNode)}");
            }
            else if (Array.IndexOf(known, key) < 0)
            {
                problems.Report(keyNode, $"unknown key '{key}' in {where} (expected one of: {expected})");
            }
            else
            {
                yield return (key, value);
            }
        }
    }

    private string? Text(string key, YamlNode node)
    {
        if (node is YamlScalarNode { Value: { } text } && !YamlScalars.IsNull(node) && !string.IsNullOrWhiteSpace(text))
        {
            return text;
        }

        problems.Report(node, $"'{key}' must be a non-empty text, got {YamlScalars.Describe(node)}");
        return null;
    }

    private IReadOnlyList<string> Skills(YamlNode node)
    {
        if (node is not YamlSequenceNode list)
        {
            problems.Report(node, $"'skills' must be a list such as [billing, french], got {YamlScalars.Describe(node)}");
            return [];
        }

        var skills = new List<string>(list.Children.Count);
        foreach (var item in list.Children)
        {
            if (item is YamlScalarNode { Value: { } skill } && !YamlScalars.IsNull(item) && !string.IsNullOrWhiteSpace(skill))
            {
                skills.Add(skill);
            }
            else
            {
                problems.Report(item, $"each skill must be a non-empty text, got {YamlScalars.Describe(item)}");
            }
        }

        return skills.AsReadOnly();
    }

    private double? Floor(YamlNode node)
    {
        if (node is not YamlScalarNode scalar || YamlScalars.ToLiteral(scalar) is not { Kind: FieldKind.Number } literal)
        {
            problems.Report(node, $"'confidenceFloor' must be a number from 0 to 1, got {YamlScalars.Describe(node)}");
            return null;
        }

        if (literal.Number is < 0 or > 1)
        {
            problems.Report(node, $"'confidenceFloor' must be from 0 to 1, got {literal.Number.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return literal.Number;
    }

    // Names are the documented lowercase spellings only, so 'Escalate' and 'escalate' cannot drift apart.
    private TEnum? Named<TEnum>(string key, YamlNode node, string expected)
        where TEnum : struct, Enum
    {
        if (Text(key, node) is not { } text)
        {
            return null;
        }

        if (Array.IndexOf(expected.Split(", "), text) >= 0 && Enum.TryParse<TEnum>(text, ignoreCase: true, out var value))
        {
            return value;
        }

        problems.Report(node, $"unknown {key} '{text}' (expected one of: {expected})");
        return null;
    }
}
