using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Policy;

/// <summary>Validation: every problem kind, with the exact line and column an editor would show.</summary>
public sealed class PolicyCompilerTests
{
    private static string[] Problems(string yaml)
    {
        var compilation = PolicyCompiler.Compile(yaml);
        Assert.False(compilation.Succeeded);
        Assert.Null(compilation.Policy);
        return [.. compilation.Problems.Select(static problem => problem.ToString())];
    }

    private static string Rule(string when, string rest = "outcome: review\n    reason: r") => $"""
        rules:
          - id: r
            when: {when}
            {rest}
        """;

    [Fact]
    public void Compile_WhenYamlIsMalformed_ReportsTheSyntaxErrorPosition()
    {
        var problems = Problems("""
            rules:
              - id: a
                when: { kind: [reply }
            """);

        Assert.Equal(["3:26: invalid YAML: While parsing a flow sequence, did not find expected ',' or ']'."], problems);
    }

    [Fact]
    public void Compile_WhenYamlDotNetFailsWithoutAYamlException_StillReportsAProblem()
    {
        // YamlDotNet throws InvalidOperationException from its scanner for this stray '{'.
        var compilation = PolicyCompiler.Compile(BuiltInPolicy.Yaml.Replace("  team: support", "{ team: support", StringComparison.Ordinal));

        var problem = Assert.Single(compilation.Problems);
        Assert.StartsWith("invalid YAML: the parser could not continue after this point", problem.Message, StringComparison.Ordinal);
        Assert.Equal(4, problem.Line);
    }

    [Fact]
    public void Compile_WhenAMapRepeatsAKey_ReportsIt() =>
        Assert.Equal(["3:3: invalid YAML: Duplicate key team"], Problems("defaults:\n  team: a\n  team: b\n"));

    [Fact]
    public void Compile_WhenOperatorIsUnknown_ListsTheKnownOnes() =>
        Assert.Equal(
            ["3:29: unknown operator 'greater' (expected one of: eq, ne, gt, gte, lt, lte, in, notIn, contains, mentions, matches, exists)"],
            Problems(Rule("{ facts.amount: { greater: 1000 } }")));

    [Fact]
    public void Compile_WhenComparisonGetsAString_ReportsBadType() =>
        Assert.Equal(["3:33: operator 'gt' needs a number, got 'lots'"], Problems(Rule("{ facts.amount: { gt: lots } }")));

    [Fact]
    public void Compile_WhenComparisonGetsAQuotedNumber_ReportsBadType() =>
        Assert.Equal(["3:33: operator 'gt' needs a number, got '5'"], Problems(Rule("""{ facts.amount: { gt: "5" } }""")));

    [Fact]
    public void Compile_WhenInGetsAScalar_AsksForAList() =>
        Assert.Equal(["3:32: operator 'in' needs a list such as [a, b], got 'medical'"], Problems(Rule("{ facts.topic: { in: medical } }")));

    [Fact]
    public void Compile_WhenListHoldsAMap_ReportsTheItem() =>
        Assert.Equal(["3:42: operator 'in' needs a list of strings, numbers or booleans, got a map"], Problems(Rule("{ facts.topic: { in: [medical, { a: 1 }] } }")));

    [Fact]
    public void Compile_WhenEqGetsNull_ReportsBadType() =>
        Assert.Equal(["3:32: operator 'eq' needs a string, number or boolean, got null"], Problems(Rule("{ facts.topic: { eq: null } }")));

    [Fact]
    public void Compile_WhenExistsIsNotABoolean_ReportsBadType() =>
        Assert.Equal(["3:36: operator 'exists' needs true or false, got 'yes'"], Problems(Rule("{ facts.topic: { exists: yes } }")));

    [Fact]
    public void Compile_WhenMentionsIsEmpty_ReportsIt() =>
        Assert.Equal(["3:31: operator 'mentions' needs a word, a phrase or a list of them, got a list"], Problems(Rule("{ text: { mentions: [] } }")));

    [Fact]
    public void Compile_WhenRegexIsInvalid_ReportsTheRegexError() =>
        Assert.Equal(["3:33: invalid regular expression '(': Invalid pattern '(' at offset 1. Not enough )'s."], Problems(Rule("{ summary: { matches: '(' } }")));

    // 'matches' runs on the linear-time engine, which refuses these at construction: each becomes a problem at the
    // pattern, never a pattern that a customer's text can make slow.
    [Theory]
    [InlineData(@"(a)\1", "backreference")]
    [InlineData(@"(?<x>a)\k<x>", "backreference")]
    [InlineData("a(?=b)", "positive lookahead")]
    [InlineData("a(?!b)", "negative lookahead")]
    [InlineData("(?<=a)b", "positive lookahead (?= pattern) or positive lookbehind")]
    [InlineData("(?<!a)b", "negative lookahead (?! pattern) or negative lookbehind")]
    [InlineData("(?>a+)b", "atomic")]
    [InlineData("(?(a)b|c)", "conditional")]
    [InlineData("(?<o>a)(?<c-o>b)", "balancing group")]
    [InlineData(@"\Ga", @"\G")]
    [InlineData(".{100000}", "10000")]
    public void Compile_WhenMatchesUsesWhatTheLinearEngineCannotRun_ReportsItAtThePattern(string pattern, string named)
    {
        var problem = Assert.Single(Problems(Rule($"{{ summary: {{ matches: '{pattern}' }} }}")));

        Assert.StartsWith($"3:33: regular expression '{pattern}' is not supported: ", problem, StringComparison.Ordinal);
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gt", "1e400")]
    [InlineData("lte", "-1e999")]
    public void Compile_WhenComparisonBoundIsBeyondDoubleRange_ReportsIt(string op, string bound) =>
        Assert.Equal([$"3:{31 + op.Length}: operator '{op}' needs a number, got '{bound}'"], Problems(Rule($"{{ facts.amount: {{ {op}: {bound} }} }}")));

    [Fact]
    public void Compile_WhenFieldRootIsUnknown_ListsTheRoots() =>
        Assert.Equal(
            ["3:13: unknown field 'customer.tier' (a field starts with one of: kind, summary, channel, text, facts, subject, signals, proposal)"],
            Problems(Rule("{ customer.tier: gold }")));

    [Fact]
    public void Compile_WhenProposalFieldIsUnknown_ListsTheProposalFields() =>
        Assert.Equal(
            ["3:13: unknown field 'proposal.score' (proposal fields: proposal.confidence, proposal.text, proposal.action.name, proposal.action.arguments.*)"],
            Problems(Rule("{ proposal.score: { gt: 1 } }")));

    [Fact]
    public void Compile_WhenScalarFieldHasSubField_ReportsIt() =>
        Assert.Equal(["3:13: field 'summary' has no sub-fields, so 'summary.length' cannot match anything"], Problems(Rule("{ summary.length: { gt: 1 } }")));

    [Fact]
    public void Compile_WhenFieldHasEmptySegment_ReportsIt() =>
        Assert.Equal(["3:13: field 'facts..amount' has an empty segment"], Problems(Rule("{ facts..amount: 1 }")));

    [Fact]
    public void Compile_WhenOperatorIsUsedAsAField_SaysWhereItBelongs() =>
        Assert.Equal(["3:13: 'gt' is an operator, not a field: write it under a field, e.g. 'facts.amount: { gt: ... }'"], Problems(Rule("{ gt: 5 }")));

    [Fact]
    public void Compile_WhenFieldHasAListValue_AsksForAnOperator() =>
        Assert.Equal(["3:26: field 'facts.topic' needs an operator map such as '{ in: [a, b] }' or a single value, got a list"], Problems(Rule("{ facts.topic: [a, b] }")));

    [Fact]
    public void Compile_WhenCombinatorsAreMisused_ReportsEach() =>
        Assert.Equal(
            [
                "3:18: 'any' needs a list of conditions, got a map",
                "3:40: 'all' needs at least one condition",
                "3:49: expected a condition map such as 'facts.amount: { gt: 1000 }', got 'x'",
                "3:58: field 'kind' has no operator (expected one of: eq, ne, gt, gte, lt, lte, in, notIn, contains, mentions, matches, exists)",
            ],
            Problems(Rule("{ any: { kind: reply }, all: [], not: x, kind: {} }")));

    [Fact]
    public void Compile_WhenWhenIsEmpty_ReportsIt() =>
        Assert.Equal(["3:11: empty condition: name at least one field, 'all', 'any' or 'not'"], Problems(Rule("{}")));

    [Fact]
    public void Compile_WhenRuleIdRepeats_PointsAtTheFirst()
    {
        var problems = Problems("""
            rules:
              - id: high-value
                when: { facts.amount: { gt: 1000 } }
                outcome: review
                reason: r
              - id: high-value
                when: { facts.amount: { gt: 5000 } }
                outcome: escalate
                reason: r
            """);

        Assert.Equal(["6:9: duplicate rule id 'high-value' (first at line 2)"], problems);
    }

    [Fact]
    public void Compile_WhenRuleIdIsReserved_ReportsIt() =>
        Assert.Equal(
            ["2:9: rule id 'low-confidence' is reserved for the reasons the engine adds itself"],
            Problems("rules:\n  - id: low-confidence\n    when: { kind: reply }\n    outcome: review\n    reason: r\n"));

    [Fact]
    public void Compile_WhenOutcomeIsUnknown_ListsTheOutcomes() =>
        Assert.Equal(["4:14: unknown outcome 'maybe' (expected one of: auto, review, escalate, block)"], Problems(Rule("{ kind: reply }", "outcome: maybe\n    reason: r")));

    [Fact]
    public void Compile_WhenOutcomeIsCapitalized_ReportsIt() =>
        Assert.Equal(["4:14: unknown outcome 'Review' (expected one of: auto, review, escalate, block)"], Problems(Rule("{ kind: reply }", "outcome: Review\n    reason: r")));

    [Fact]
    public void Compile_WhenPriorityIsUnknown_ListsThePriorities() =>
        Assert.Equal(["4:15: unknown priority 'asap' (expected one of: low, normal, high, urgent)"], Problems(Rule("{ kind: reply }", "priority: asap\n    outcome: review\n    reason: r")));

    [Theory]
    [InlineData("1.5", "4:22: 'confidenceFloor' must be from 0 to 1, got 1.5")]
    [InlineData("-0.1", "4:22: 'confidenceFloor' must be from 0 to 1, got -0.1")]
    [InlineData("high", "4:22: 'confidenceFloor' must be a number from 0 to 1, got 'high'")]
    public void Compile_WhenRuleFloorIsOutOfRange_ReportsIt(string floor, string expected) =>
        Assert.Equal([expected], Problems(Rule("{ kind: reply }", $"confidenceFloor: {floor}\n    reason: r")));

    [Fact]
    public void Compile_WhenRuleMissesRequiredKeys_ReportsEachAtTheRule() =>
        Assert.Equal(
            [
                "2:5: rule is missing 'id'",
                "2:5: rule is missing 'when'",
                "2:5: rule is missing 'reason'",
                "2:5: rule needs an 'outcome', a 'confidenceFloor' or both",
            ],
            Problems("rules:\n  - team: sales\n"));

    [Fact]
    public void Compile_WhenRuleHasUnknownKeyOrBadPinned_ReportsBoth() =>
        Assert.Equal(
            [
                "2:5: rule 'r' needs an 'outcome', a 'confidenceFloor' or both",
                "4:5: unknown key 'outcomes' in a rule (expected one of: id, when, outcome, reason, team, skills, priority, sla, mode, liveWait, approvals, pinned, confidenceFloor)",
                "5:13: 'pinned' must be true or false, got 'always'",
            ],
            Problems(Rule("{ kind: reply }", "outcomes: review\n    pinned: always\n    reason: r")));

    [Fact]
    public void Compile_WhenDefaultsAreWrong_ReportsEach() =>
        Assert.Equal(
            [
                "2:20: 'confidenceFloor' must be from 0 to 1, got 75",
                "3:18: unknown lowConfidence outcome 'block' (expected one of: review, escalate)",
                "4:8: 'team' must be a non-empty text, got null",
                "5:3: unknown key 'floor' in defaults (expected one of: confidenceFloor, lowConfidence, team, mode, sla, slaByPriority, slaWarnAt, onBreach, liveWait)",
            ],
            Problems("defaults:\n  confidenceFloor: 75\n  lowConfidence: block\n  team:\n  floor: 1\n"));

    [Fact]
    public void Compile_WhenTopLevelIsWrong_ReportsIt()
    {
        Assert.Equal(["1:1: unknown key 'rule' in the policy (expected one of: defaults, rules, learning)"], Problems("rule: []\n"));
        Assert.Equal(["1:1: a policy is a map with 'defaults' and 'rules', got a list"], Problems("- a\n"));
        Assert.Equal(["1:8: 'rules' must be a list of rules, got a map"], Problems("rules: { a: 1 }\n"));
        Assert.Equal(["2:5: a rule must be a map with at least 'id', 'when' and 'reason', got 'r'"], Problems("rules:\n  - r\n"));
    }

    [Fact]
    public void Compile_WhenSeveralDocuments_ReportsTheSecond() =>
        Assert.Equal(["3:1: a policy is a single YAML document, found another one here"], Problems("rules: []\n---\nrules: []\n"));

    [Fact]
    public void Compile_WhenDocumentUsesAliases_RefusesThem() =>
        Assert.Equal(
            ["6:5: aliases such as '*r' are not supported in a policy; repeat the value instead"],
            Problems("rules:\n  - &r\n    id: a\n    when: { kind: reply }\n    reason: r\n  - *r\n"));

    [Fact]
    public void Compile_WhenNestedTooDeeply_RefusesInsteadOfOverflowingTheStack() =>
        Assert.Equal(["1:65: the document is nested more than 64 levels deep"], Problems(new string('[', 100_000)));

    [Fact]
    public void Compile_WhenManyThingsAreWrong_ReportsEveryProblemInDocumentOrder()
    {
        var problems = Problems("""
            defaults:
              confidenceFloor: 2
            rules:
              - id: medical
                when:
                  facts.topic: { in: medical }
                outcome: escalate
                reason: Medical.
              - id: medical
                when:
                  any:
                    - facts.amount: { greater: 1000 }
                    - customer.tier: gold
                    - text: { matches: '[' }
                outcome: sometimes
                confidenceFloor: 1.2
              - when: { kind: reply }
                outcome: review
                reason: No id.
            """);

        Assert.Equal(
            [
                "2:20: 'confidenceFloor' must be from 0 to 1, got 2",
                "6:26: operator 'in' needs a list such as [a, b], got 'medical'",
                "9:5: rule 'medical' is missing 'reason'",
                "9:9: duplicate rule id 'medical' (first at line 4)",
                "12:27: unknown operator 'greater' (expected one of: eq, ne, gt, gte, lt, lte, in, notIn, contains, mentions, matches, exists)",
                "13:11: unknown field 'customer.tier' (a field starts with one of: kind, summary, channel, text, facts, subject, signals, proposal)",
                "14:28: invalid regular expression '[': Invalid pattern '[' at offset 1. Unterminated [] set.",
                "15:14: unknown outcome 'sometimes' (expected one of: auto, review, escalate, block)",
                "16:22: 'confidenceFloor' must be from 0 to 1, got 1.2",
                "17:5: rule is missing 'id'",
            ],
            problems);
    }

    [Fact]
    public void Compile_WhenValid_HasNoProblems()
    {
        var compilation = PolicyCompiler.Compile(BuiltInPolicy.Yaml, version: 4);

        Assert.True(compilation.Succeeded);
        Assert.Empty(compilation.Problems);
        Assert.Equal(4, compilation.Policy!.Version);
    }
}
