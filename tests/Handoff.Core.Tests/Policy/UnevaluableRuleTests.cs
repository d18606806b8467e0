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
}
