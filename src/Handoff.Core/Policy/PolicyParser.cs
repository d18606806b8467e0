using System.Globalization;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using YamlDotNet.RepresentationModel;

namespace Handoff.Core.Policy;

/// <summary>
/// Reads a loaded policy document: the <c>defaults</c> section and every rule. Keeps going after a problem so
/// the author sees all of them at once; the result is only meaningful when no problem was reported.
/// </summary>
internal sealed class PolicyParser(ProblemLog problems)
{
    private const string RuleKeys = "id, when, outcome, reason, team, skills, priority, sla, mode, liveWait, approvals, pinned, confidenceFloor";
    private const string DefaultsKeys = "confidenceFloor, lowConfidence, team, mode, sla, slaByPriority, slaWarnAt, onBreach, liveWait";
    private const string LearningKeys = "mode, maxError, confidence, minDecisions, qaSample, autoQaSample, learnable";
    private const string ApprovalKeys = "count, role";
    private const string BreachKeys = "after, action";
    private const string BreachActions = "raisePriority, overflow, supervisor, timeout";
    private const int MaxApprovals = 5;

    // A customer on the line will not hold longer than this for a person to pick up; anything longer is a queue.
    private static readonly TimeSpan MaxLiveWait = TimeSpan.FromHours(1);
    private const string Outcomes = "auto, review, escalate, block";
    private const string Priorities = "low, normal, high, urgent";
    private const string Modes = "live, queue, either";

    // Evaluation adds reasons under these ids itself; a rule using one would make reasons ambiguous.
    private static readonly HashSet<string> ReservedIds = ["low-confidence", "autonomy-stopped", LearnedGate.ReasonId];

    private readonly ConditionParser _conditions = new(problems);

    public (PolicyDefaults Defaults, List<CompiledRule> Rules, LearningSettings Learning) ParseDocument(YamlNode? root)
    {
        var defaults = PolicyDefaults.Standard;
        var rules = new List<CompiledRule>();
        var learning = LearningSettings.Off;
        if (root is null || YamlScalars.IsNull(root))
        {
            return (defaults, rules, learning);
        }

        if (root is not YamlMappingNode map)
        {
            problems.Report(root, $"a policy is a map with 'defaults' and 'rules', got {YamlScalars.Describe(root)}");
            return (defaults, rules, learning);
        }

        YamlNode? learningNode = null;
        foreach (var (key, value) in Entries(map, "the policy", "defaults, rules, learning"))
        {
            switch (key)
            {
                case "defaults":
                    defaults = ParseDefaults(value);
                    break;
                case "rules":
                    rules = ParseRules(value);
                    break;
                case "learning":
                    learningNode = value;
                    break;
            }
        }

        // Read after the rules: the learnable rules must be rules of this policy, and never pinned or block ones.
        if (learningNode is not null)
        {
            learning = ParseLearning(learningNode, rules);
        }

        return (defaults, rules, learning);
    }

    private LearningSettings ParseLearning(YamlNode node, List<CompiledRule> rules)
    {
        var settings = LearningSettings.Off;
        if (YamlScalars.IsNull(node))
        {
            return settings;
        }

        if (node is not YamlMappingNode map)
        {
            problems.Report(node, $"'learning' must be a map such as {{ mode: advise, maxError: 0.01 }}, got {YamlScalars.Describe(node)}");
            return settings;
        }

        foreach (var (key, value) in Entries(map, "learning", LearningKeys))
        {
            switch (key)
            {
                case "mode" when Text(key, value) is { } text:
                    if (text is "off" or "advise" or "auto")
                    {
                        settings = settings with { Mode = Enum.Parse<LearningMode>(text, ignoreCase: true) };
                    }
                    else
                    {
                        problems.Report(value, $"unknown learning mode '{text}' (expected one of: off, advise, auto)");
                    }

                    break;
                case "maxError" when Share(value, key, 0, 0.5, "a share of the gate's approvals such as 0.01; from 0 to 0.5, both excluded") is { } maxError:
                    settings = settings with { MaxError = maxError };
                    break;
                case "confidence" when Share(value, key, 0.5, 1, "how sure the bound must be, such as 0.95; above 0.5 and below 1") is { } confidence:
                    settings = settings with { Confidence = confidence };
                    break;
                case "minDecisions":
                    if (value is YamlScalarNode count && YamlScalars.ToLiteral(count) is { Kind: FieldKind.Number } n
                        && n.Number == Math.Floor(n.Number) && n.Number is >= 10 and <= 10_000_000)
                    {
                        settings = settings with { MinDecisions = (int)n.Number };
                    }
                    else
                    {
                        problems.Report(value, $"'minDecisions' must be a whole number from 10 to 10,000,000, got {YamlScalars.Describe(value)}");
                    }

                    break;
                case "qaSample" when Share(value, key, 0, 1, "a share such as 0.05; above 0, at most 1", highIncluded: true) is { } qa:
                    settings = settings with { QaSample = qa };
                    break;
                case "autoQaSample" when Share(value, key, 0, 1, "a share such as 0.01; from 0 to 1", lowIncluded: true, highIncluded: true) is { } autoQa:
                    settings = settings with { AutoQaSample = autoQa };
                    break;
                case "learnable":
                    settings = settings with { Learnable = Learnable(value, rules) ?? settings.Learnable };
                    break;
            }
        }

        return settings;
    }

    private double? Share(YamlNode node, string key, double low, double high, string expected, bool lowIncluded = false, bool highIncluded = false)
    {
        if (node is YamlScalarNode scalar && YamlScalars.ToLiteral(scalar) is { Kind: FieldKind.Number } literal
            && (lowIncluded ? literal.Number >= low : literal.Number > low) && (highIncluded ? literal.Number <= high : literal.Number < high))
        {
            return literal.Number;
        }

        problems.Report(node, $"'{key}' must be {expected}; got {YamlScalars.Describe(node)}");
        return null;
    }

    private List<string>? Learnable(YamlNode node, List<CompiledRule> rules)
    {
        if (node is not YamlSequenceNode list)
        {
            problems.Report(node, $"'learnable' must be a list of rule ids such as [low-confidence, refund-review], got {YamlScalars.Describe(node)}");
            return null;
        }

        var before = problems.Count;
        var ids = new List<string>(list.Children.Count);
        foreach (var item in list.Children)
        {
            if (item is not YamlScalarNode { Value: { } id } || YamlScalars.IsNull(item) || string.IsNullOrWhiteSpace(id))
            {
                problems.Report(item, $"each learnable rule must be a rule id, got {YamlScalars.Describe(item)}");
                continue;
            }

            var rule = rules.Find(r => r.Descriptor.Id == id)?.Descriptor;
            if (id != LearningSettings.LowConfidence && rule is null)
            {
                problems.Report(item, $"learnable rule '{id}' is not a rule of this policy (nor low-confidence)");
            }
            else if (rule is { Pinned: true })
            {
                problems.Report(item, $"rule '{id}' is pinned: a pinned rule always keeps its cases for people, so it cannot be learnable");
            }
            else if (rule is { Outcome: Outcome.Block })
            {
                problems.Report(item, $"rule '{id}' blocks: a blocked case never reaches a person, so it cannot be learnable");
            }
            else if (!ids.Contains(id, StringComparer.Ordinal))
            {
                ids.Add(id);
            }
        }

        return problems.Count == before ? ids : null;
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
                    defaults = defaults with { Team = team, TeamLine = (int)value.Start.Line };
                    break;
                case "mode" when Named<HandoffMode>(key, value, Modes) is { } mode:
                    defaults = defaults with { Mode = mode };
                    break;
                case "sla" when Durations.Sla(value, problems) is { } sla:
                    defaults = defaults with { Sla = sla };
                    break;
                case "slaByPriority" when SlaByPriority(value) is { } slas:
                    defaults = defaults with { SlaByPriority = slas };
                    break;
                case "slaWarnAt" when WarnAt(value) is { } warnAt:
                    defaults = defaults with { SlaWarnAt = warnAt };
                    break;
                case "onBreach" when Ladder(value) is { } ladder:
                    defaults = defaults with { OnBreach = ladder };
                    break;
                case "liveWait" when LiveWait(value) is { } liveWait:
                    defaults = defaults with { LiveWait = liveWait };
                    break;
            }
        }

        return defaults;
    }

    private Dictionary<Priority, TimeSpan>? SlaByPriority(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Report(node, $"'slaByPriority' must be a map such as {{ urgent: 15m, high: 1h }}, got {YamlScalars.Describe(node)}");
            return null;
        }

        var before = problems.Count;
        var slas = new Dictionary<Priority, TimeSpan>();
        foreach (var (key, value) in Entries(map, "slaByPriority", Priorities))
        {
            if (Enum.TryParse<Priority>(key, ignoreCase: true, out var priority) && Durations.Sla(value, problems) is { } sla)
            {
                slas[priority] = sla;
            }
        }

        return problems.Count == before ? slas : null;
    }

    private double? WarnAt(YamlNode node)
    {
        if (node is YamlScalarNode scalar && YamlScalars.ToLiteral(scalar) is { Kind: FieldKind.Number } literal
            && literal.Number is > 0 and < 1)
        {
            return literal.Number;
        }

        problems.Report(node, $"'slaWarnAt' must be a number between 0 and 1 (a share of the SLA, such as 0.8), got {YamlScalars.Describe(node)}");
        return null;
    }

    private List<BreachStep>? Ladder(YamlNode node)
    {
        if (node is not YamlSequenceNode list)
        {
            problems.Report(node, $"'onBreach' must be a list of steps such as [{{ after: 0s, action: raisePriority }}], got {YamlScalars.Describe(node)}");
            return null;
        }

        var before = problems.Count;
        var steps = new List<BreachStep>(list.Children.Count);
        var actions = new HashSet<BreachAction>();
        var latest = TimeSpan.Zero;
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode map)
            {
                problems.Report(item, $"each onBreach step must be a map with 'after' and 'action', got {YamlScalars.Describe(item)}");
                continue;
            }

            var stepBefore = problems.Count;
            TimeSpan? after = null;
            BreachAction? action = null;
            foreach (var (key, value) in Entries(map, "an onBreach step", BreachKeys))
            {
                if (key == "after")
                {
                    after = Durations.Read(value, "after", problems, zeroAllowed: true);
                }
                else
                {
                    action = Named<BreachAction>(key, value, BreachActions);
                }
            }

            if (after is null || action is null)
            {
                if (problems.Count == stepBefore)
                {
                    problems.Report(map, "each onBreach step needs both 'after' and 'action'");
                }

                continue;
            }

            if (!actions.Add(action.Value))
            {
                problems.Report(map, $"onBreach names action '{Camel(action.Value)}' twice");
            }
            else if (after < latest)
            {
                problems.Report(map, "onBreach steps must be listed in order of 'after'");
            }

            latest = after > latest ? after.Value : latest;
            steps.Add(new BreachStep(after.Value, action.Value));
        }

        return problems.Count == before ? steps : null;
    }

    private TimeSpan? LiveWait(YamlNode node)
    {
        if (Durations.Read(node, "liveWait", problems) is not { } wait)
        {
            return null;
        }

        if (wait > MaxLiveWait)
        {
            problems.Report(node, $"'liveWait' must be at most 1 hour (a customer waiting longer is a queued case), got {YamlScalars.Describe(node)}");
            return null;
        }

        return wait;
    }

    private ApprovalRule? Approvals(YamlNode node)
    {
        if (node is YamlScalarNode)
        {
            return ApprovalCount(node) is { } count ? new ApprovalRule(count, null) : null;
        }

        if (node is not YamlMappingNode map)
        {
            problems.Report(node, $"'approvals' must be a number such as 2 or a map such as {{ count: 2, role: supervisor }}, got {YamlScalars.Describe(node)}");
            return null;
        }

        int? approvals = null;
        string? role = null;
        var before = problems.Count;
        foreach (var (key, value) in Entries(map, "approvals", ApprovalKeys))
        {
            if (key == "count")
            {
                approvals = ApprovalCount(value);
            }
            else if (Text(key, value) is { } text)
            {
                if (ApprovalRule.Roles.Contains(text, StringComparer.Ordinal))
                {
                    role = text;
                }
                else
                {
                    problems.Report(value, $"unknown role '{text}' (expected one of: {string.Join(", ", ApprovalRule.Roles)})");
                }
            }
        }

        if (approvals is null && problems.Count == before)
        {
            problems.Report(map, "'approvals' needs a 'count'");
        }

        return problems.Count == before && approvals is { } n ? new ApprovalRule(n, role) : null;
    }

    private int? ApprovalCount(YamlNode node)
    {
        if (node is YamlScalarNode scalar && YamlScalars.ToLiteral(scalar) is { Kind: FieldKind.Number } literal
            && literal.Number == Math.Floor(literal.Number) && literal.Number is >= 1 and <= MaxApprovals)
        {
            return (int)literal.Number;
        }

        problems.Report(node, $"the number of approvals must be a whole number from 1 to {MaxApprovals}, got {YamlScalars.Describe(node)}");
        return null;
    }

    private static string Camel(BreachAction action) => action switch
    {
        BreachAction.RaisePriority => "raisePriority",
        _ => action.ToString().ToLowerInvariant(),
    };

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
        int? teamLine = null;
        Outcome? outcome = null;
        Priority? priority = null;
        IReadOnlyList<string> skills = [];
        TimeSpan? sla = null;
        HandoffMode? mode = null;
        TimeSpan? liveWait = null;
        ApprovalRule? approvals = null;
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
                    teamLine = (int)value.Start.Line;
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
                case "liveWait":
                    liveWait = LiveWait(value);
                    break;
                case "approvals":
                    approvals = Approvals(value);
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
            LiveWait = liveWait,
            Approvals = approvals,
            TeamLine = teamLine,
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
