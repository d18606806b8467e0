using Handoff.Core.Cases;
using Handoff.Core.Learning;

namespace Handoff.Core.Tests.Learning;

public sealed class PrecedentRankingTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheSameActionAndRule_ComeFirst_ThenOneOfThem_ThenTheRest_EachByRelevance()
    {
        var ranked = PrecedentRanking.Rank(
            [(Record("text", null, []), 0.9), (Record("same-rule", "voucher", ["big"]), 0.1), (Record("both", "refund", ["big"]), 0.2), (Record("both-closer", "refund", ["big"]), 0.5)],
            "refund", ["big"], 3);

        Assert.Equal(["both-closer", "both", "same-rule"], ranked.Select(static r => r.Record.CaseId));
        Assert.True(ranked[0].SameAction);
        Assert.Equal(["big"], ranked[0].SharedRules);
        Assert.False(ranked[2].SameAction);
    }

    [Fact]
    public void TwoCasesWithNoAction_DoNotProposeTheSameAction()
    {
        var ranked = PrecedentRanking.Rank([(Record("reply", null, []), 1)], null, [], 5);

        Assert.False(Assert.Single(ranked).SameAction);
    }

    private static DecisionRecord Record(string id, string? action, string[] rules) =>
        new(id, At, At, action is null ? CaseKind.Reply : CaseKind.Action, action, null, rules, 0.9, Verdict.Approve, "usr_1", "");
}
