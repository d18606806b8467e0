using System.Text.RegularExpressions;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using static Handoff.Core.Tests.Policy.PolicyTesting;

namespace Handoff.Core.Tests.Policy;

/// <summary>A rule the engine cannot evaluate sends the case to a person, never past the rule.</summary>
public sealed class UnevaluableRuleTests
{
    // Issue 12's repro: on a backtracking engine with a timeout, enough a's made the whole pattern time out, the
    // timeout counted as no match, and "lawyer" slipped past the block rule.
    private const string LegalBlock = "rules: [{id: legal-block, when: {text: {matches: '^(a|aa)+$|lawyer'}}, outcome: block, reason: x}]";

    [Theory]
    [InlineData(25)]
    [InlineData(35)]
    [InlineData(10_000)]
    public void Evaluate_WhenAPatternWouldBacktrackCatastrophically_StillBlocks(int count)
    {
        var content = Case(proposalText: new string('a', count) + "! I will call my lawyer", confidence: 0.95);

        var evaluation = Compile(LegalBlock).Evaluate(content);

        Assert.Equal(Outcome.Block, evaluation.Outcome);
        Assert.Equal([new Reason("legal-block", "x", Outcome.Block)], evaluation.Reasons);
    }

    [Fact]
    public void Evaluate_WhenAMatchTimesOut_SendsTheCaseToAPersonNamingTheRule()
    {
        // Built by hand: compiled policies run on the linear-time engine, which does not time out on this. A
        // backtracking regex with a 1 ms limit cannot finish 2^100 paths, so the match always times out; before,
        // the timeout counted as no match and the 'not' around it let the case go auto.
        var slow = new Regex("^(a|aa|a?a)+$", RegexOptions.None, TimeSpan.FromMilliseconds(1));
        var rule = new CompiledRule(
            new PolicyRule("slow", Outcome.Auto, "Not the slow pattern.", null, null, false, null, 1),
            Conditions.Not(Conditions.MatchesPattern(FieldPath.TryParse("summary", out _)!, "matches", slow)));
        var policy = new CompiledPolicy(1, string.Empty, PolicyDefaults.Standard, [rule]);

        var evaluation = policy.Evaluate(Case(summary: new string('a', 100) + "!", confidence: 0.99));

        Assert.Equal(Outcome.Review, evaluation.Outcome);
        Assert.Equal(
            [new Reason("slow", "rule slow could not be evaluated: 'matches' on summary did not finish within its time limit", Outcome.Review)],
            evaluation.Reasons);
    }

    [Theory]
    [InlineData("auto", Outcome.Review)]
    [InlineData("review", Outcome.Review)]
    [InlineData("escalate", Outcome.Escalate)]
    [InlineData("block", Outcome.Block)]
    public void Evaluate_WhenAConditionThrows_GivesAtLeastReviewAndTheRulesOwnOutcomeIfStricter(string declared, Outcome expected)
    {
        // A lone surrogate escape is valid JSON, but reading it as a string throws InvalidOperationException.
        var policy = Compile($$"""
            rules:
              - id: note-check
                when: { facts.note: { matches: lawyer } }
                outcome: {{declared}}
                team: legal
                priority: urgent
                reason: The note names a lawyer.
            """);

        var evaluation = policy.Evaluate(Case("""{"note": "\ud800"}""", confidence: 0.99));

        Assert.Equal(expected, evaluation.Outcome);
        var reason = Assert.Single(evaluation.Reasons);
        Assert.Equal("note-check", reason.Rule);
        Assert.StartsWith("rule note-check could not be evaluated: Cannot read incomplete UTF-16 JSON text", reason.Text, StringComparison.Ordinal);
        Assert.Equal(expected, reason.Outcome);
        Assert.Equal("legal", evaluation.Team);
        Assert.Equal(Priority.Urgent, evaluation.Priority);
    }

    [Fact]
    public void Evaluate_WhenOneRuleCannotBeEvaluated_TheOthersStillCount()
    {
        var policy = Compile("""
            rules:
              - id: amount
                when: { facts.amount: { gt: 1000 } }
                outcome: escalate
                reason: Big.
              - id: country
                when: { facts.country: FR }
                outcome: block
                reason: Not served.
            """);

        var evaluation = policy.Evaluate(Case("""{"amount": "5,000 EUR", "country": "FR"}""", confidence: 0.99));

        Assert.Equal(Outcome.Block, evaluation.Outcome);
        Assert.Equal(
            [
                new Reason("amount", "rule amount could not be evaluated: 'gt' needs a number at facts.amount, got text that is not a number", Outcome.Escalate),
                new Reason("country", "Not served.", Outcome.Block),
            ],
            evaluation.Reasons);
    }

    [Fact]
    public void Evaluate_WhenConfidenceIsNaN_ItIsLowAndComparingItFailsClosed()
    {
        var evaluation = OneRule("proposal.confidence: { lt: 0.5 }").Evaluate(Case(confidence: double.NaN));

        Assert.Equal(
            [
                new Reason("r", "rule r could not be evaluated: 'lt' needs a number at proposal.confidence, got NaN", Outcome.Review),
                new Reason("low-confidence", "Confidence NaN is below the floor 0.75.", Outcome.Review),
            ],
            evaluation.Reasons);
    }

    [Theory]
    [InlineData(0.6, 0.75)]
    [InlineData(0.9, 0.9)]
    public void Evaluate_WhenAFloorRuleCannotBeEvaluated_ItsFloorOnlyRaisesTheDefault(double ruleFloor, double expected)
    {
        var policy = Compile($$"""
            defaults: { confidenceFloor: 0.75, lowConfidence: escalate }
            rules:
              - id: returning
                when: { subject.orders: { gte: 3 } }
                confidenceFloor: {{ruleFloor.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
                reason: Returning customers get more autonomy.
            """);

        var evaluation = policy.Evaluate(Case(subject: """{"orders": "many"}""", confidence: 0.7));

        Assert.Equal(expected, evaluation.ConfidenceFloor);
        Assert.Equal(Outcome.Escalate, evaluation.Outcome);
        Assert.Equal(["returning", "low-confidence"], evaluation.Reasons.Select(static reason => reason.Rule));
    }
}
