using System.Globalization;
using System.Text;
using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using static Handoff.Core.Tests.Policy.PolicyTesting;

namespace Handoff.Core.Tests.Policy;

/// <summary>
/// Invariants over random policies. Each generated rule fires exactly when its flag is set in the case's facts,
/// so the expected answer can be computed independently of the engine.
/// </summary>
public sealed class CompiledPolicyPropertyTests
{
    private static readonly Gen<RuleSpec> GenRule =
        Gen.Select(
            Gen.Int[-1, 3],
            Gen.Int[-1, 100],
            Gen.Bool,
            Gen.Int[0, 3],
            Gen.Int[-1, 3],
            Gen.Bool,
            (outcome, floor, fires, operatorChoice, priority, team) => new RuleSpec(
                // A rule needs an outcome or a floor; -1 means "no outcome", which then forces a floor.
                outcome < 0 ? null : (Outcome)outcome,
                outcome < 0 && floor < 0 ? 50 : floor < 0 ? null : floor,
                fires,
                operatorChoice,
                priority < 0 ? null : (Priority)priority,
                team));

    private static readonly Gen<(RuleSpec[] Rules, double? Confidence)> GenScenario =
        Gen.Select(GenRule.Array[0, 12], Gen.Int[-1, 100], (rules, confidence) =>
            (rules, confidence < 0 ? (double?)null : confidence / 100.0));

    // Some rules cannot be evaluated: their condition first compares a fact that is text, not a number.
    private static readonly Gen<(RuleSpec[] Rules, double? Confidence)> GenBrokenScenario =
        Gen.Select(Gen.Select(GenRule, Gen.Bool, static (rule, breaks) => rule with { Breaks = breaks }).Array[0, 12], Gen.Int[-1, 100], (rules, confidence) =>
            (rules, confidence < 0 ? (double?)null : confidence / 100.0));

    [Fact]
    public void Evaluate_ForRandomPoliciesWithRulesThatCannotBeEvaluated_FailsClosedAndLeavesTheOthersAlone()
    {
        GenBrokenScenario.Sample(scenario =>
        {
            var (rules, confidence) = scenario;
            var evaluation = Compile(ToYaml(rules)).Evaluate(ToCase(rules, confidence));

            var expected = rules
                .Select(static (rule, index) => rule.Breaks
                    ? (Id: $"rule-{index}", Outcome: (Outcome)Math.Max((int)Outcome.Review, (int)(rule.Outcome ?? Outcome.Auto)), Broken: true)
                    : (Id: $"rule-{index}", Outcome: rule.Outcome ?? Outcome.Auto, Broken: false))
                .Where((_, index) => rules[index].Fires || rules[index].Breaks)
                .ToArray();
            var reasons = evaluation.Reasons.Where(static reason => reason.Rule.StartsWith("rule-", StringComparison.Ordinal)).ToArray();
            Assert.Equal(expected.Select(static rule => rule.Id), reasons.Select(static reason => reason.Rule));
            Assert.Equal(expected.Select(static rule => (Outcome?)rule.Outcome), reasons.Select(static reason => reason.Outcome));
            Assert.Equal(expected.Select(static rule => rule.Broken), reasons.Select(static reason => reason.Text.Contains("could not be evaluated", StringComparison.Ordinal)));

            // Never less than without the broken rules, and never auto with one.
            var outcome = expected.Select(static rule => rule.Outcome).DefaultIfEmpty(Outcome.Auto).Max();
            Assert.True(evaluation.Outcome >= outcome);
            Assert.True(evaluation.Outcome >= Outcome.Review || !rules.Any(static rule => rule.Breaks));

            var firedFloors = rules.Where(static rule => rule.Fires && !rule.Breaks && rule.Floor is not null).Select(static rule => rule.Floor!.Value / 100.0).ToArray();
            var brokenFloors = rules.Where(static rule => rule.Breaks && rule.Floor is not null).Select(static rule => rule.Floor!.Value / 100.0);
            Assert.Equal(brokenFloors.Append(firedFloors.Length > 0 ? firedFloors.Max() : 0.5).Max(), evaluation.ConfidenceFloor);
        }, iter: 500);
    }

    [Fact]
    public void Evaluate_ForRandomPolicies_MostRestrictiveFiredOutcomeWinsAndEveryFiredRuleIsAReason()
    {
        GenScenario.Sample(scenario =>
        {
            var (rules, _) = scenario;
            var evaluation = Compile(ToYaml(rules)).Evaluate(ToCase(rules, confidence: 1.0));

            var fired = rules.Select((rule, index) => (Rule: rule, Id: $"rule-{index}")).Where(static pair => pair.Rule.Fires).ToArray();
            var expected = fired.Select(static pair => pair.Rule.Outcome ?? Outcome.Auto).DefaultIfEmpty(Outcome.Auto).Max();
            Assert.Equal(expected, evaluation.Outcome);
            Assert.Equal(fired.Select(static pair => pair.Id), evaluation.Reasons.Select(static reason => reason.Rule));
        }, iter: 500);
    }

    [Fact]
    public void Evaluate_ForRandomPolicies_FloorIsTheHighestFiredRuleFloorElseTheDefault()
    {
        GenScenario.Sample(scenario =>
        {
            var (rules, confidence) = scenario;
            var evaluation = Compile(ToYaml(rules)).Evaluate(ToCase(rules, confidence));

            var floors = rules.Where(static rule => rule.Fires && rule.Floor is not null).Select(static rule => rule.Floor!.Value / 100.0).ToArray();
            var floor = floors.Length > 0 ? floors.Max() : 0.5;
            Assert.Equal(floor, evaluation.ConfidenceFloor);

            var isLow = confidence is null || confidence < floor;
            Assert.Equal(isLow, evaluation.Reasons.Any(static reason => reason.Rule == "low-confidence"));
            if (isLow)
            {
                Assert.True(evaluation.Outcome >= Outcome.Escalate);
            }
        }, iter: 500);
    }

    [Fact]
    public void Evaluate_ForRandomPolicies_TeamAndPriorityComeFromFiredRules()
    {
        GenScenario.Sample(scenario =>
        {
            var (rules, _) = scenario;
            var evaluation = Compile(ToYaml(rules)).Evaluate(ToCase(rules, confidence: 1.0));

            var fired = rules.Select((rule, index) => (Rule: rule, Index: index)).Where(static pair => pair.Rule.Fires).ToArray();
            var teamRule = fired.Where(static pair => pair.Rule.Team)
                .OrderByDescending(static pair => pair.Rule.Outcome ?? Outcome.Auto)
                .ThenBy(static pair => pair.Index)
                .Select(static pair => $"team-{pair.Index}")
                .FirstOrDefault();
            Assert.Equal(teamRule ?? "fallback", evaluation.Team);
            var priorities = fired.Where(static pair => pair.Rule.Priority is not null).Select(static pair => pair.Rule.Priority!.Value).ToArray();
            Assert.Equal(priorities.Length > 0 ? priorities.Max() : Priority.Normal, evaluation.Priority);
        }, iter: 500);
    }

    [Fact]
    public void Evaluate_ForRandomPolicies_AutonomyOffNeverYieldsAutoAndOtherwiseChangesNothing()
    {
        GenScenario.Sample(scenario =>
        {
            var (rules, confidence) = scenario;
            var policy = Compile(ToYaml(rules));
            var content = ToCase(rules, confidence);

            var enabled = policy.Evaluate(content);
            var stopped = policy.Evaluate(content, autonomyEnabled: false);

            Assert.NotEqual(Outcome.Auto, stopped.Outcome);
            if (enabled.Outcome == Outcome.Auto)
            {
                Assert.Equal(Outcome.Escalate, stopped.Outcome);
                Assert.Equal([.. enabled.Reasons, new Reason("autonomy-stopped", "Autonomy is stopped: every case goes to a person.", Outcome.Escalate)], stopped.Reasons);
            }
            else
            {
                Assert.Equal(enabled.Outcome, stopped.Outcome);
                Assert.Equal(enabled.Reasons, stopped.Reasons);
            }
        }, iter: 500);
    }

    // The default floor is 0.5 and low confidence escalates, so the floor property can see both effects.
    private static string ToYaml(RuleSpec[] rules)
    {
        var yaml = new StringBuilder("defaults:\n  confidenceFloor: 0.5\n  lowConfidence: escalate\n  team: fallback\nrules:\n");
        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i];
            var when = rule.Breaks ? $"all: [ {{ facts.b{i}: {{ gt: 0 }} }}, {{ {rule.Condition(i)} }} ]" : rule.Condition(i);
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: rule-{i}\n    reason: Rule {i} fired.\n    when:\n      {when}\n");
            if (rule.Outcome is { } outcome)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    outcome: {outcome.ToString().ToLowerInvariant()}\n");
            }

            if (rule.Floor is { } floor)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    confidenceFloor: {floor / 100.0}\n");
            }

            if (rule.Priority is { } priority)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    priority: {priority.ToString().ToLowerInvariant()}\n");
            }

            if (rule.Team)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    team: team-{i}\n");
            }
        }

        return yaml.ToString();
    }

    private static CaseContent ToCase(RuleSpec[] rules, double? confidence)
    {
        var facts = string.Join(", ", rules.Select(static (rule, index) => $"\"f{index}\": {(rule.Fires ? "1" : "0")}, \"b{index}\": {(rule.Breaks ? "\"broken\"" : "1")}"));
        var tags = string.Join(", ", rules.Select(static (rule, index) => (rule, index)).Where(static pair => pair.rule.Fires).Select(static pair => $"\"t{pair.index}\""));
        return Case($$"""{ {{facts}}{{(facts.Length > 0 ? ", " : "")}}"tags": [{{tags}}] }""", confidence: confidence);
    }

    /// <summary>A generated rule; <see cref="Fires"/> decides the case's facts, <see cref="OperatorChoice"/> how the rule tests them.</summary>
    private sealed record RuleSpec(Outcome? Outcome, int? Floor, bool Fires, int OperatorChoice, Priority? Priority, bool Team)
    {
        /// <summary>The rule cannot be evaluated: its condition first compares a fact that is text, not a number.</summary>
        public bool Breaks { get; init; }

        public string Condition(int index) => OperatorChoice switch
        {
            0 => $"facts.f{index}: {{ eq: 1 }}",
            1 => $"facts.f{index}: {{ gt: 0.5 }}",
            2 => $"facts.tags: {{ contains: t{index} }}",
            _ => $"not: {{ facts.f{index}: {{ in: [0] }} }}",
        };
    }
}
