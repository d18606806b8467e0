using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Learning;

/// <summary>What the ledger keeps of a case, and the words a search for similar cases uses.</summary>
public sealed class DecisionTextTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Terms_AreWordsOfThreeLettersOrMore_LowerCase_Once_WithoutStopwords_LongestFirst()
    {
        var terms = DecisionText.Terms("Hello! The ESPRESSO machine: broken, broken. Refund? ok «Café» x1 über-fast");

        Assert.Equal(["espresso", "machine", "broken", "refund", "café", "über", "fast"], terms);
    }

    [Fact]
    public void Terms_KeepAtMostTheLongest24()
    {
        var words = Enumerable.Range(0, 40).Select(i => new string('a', 3 + (i % 10)) + i).ToList();

        var terms = DecisionText.Terms(string.Join(' ', words));

        Assert.Equal(DecisionText.MaxTerms, terms.Count);
        Assert.True(words.Except(terms).Max(static w => w.Length) <= terms.Min(static t => t.Length));
    }

    [Fact]
    public void Intent_IsFactsIntent_ElseTopic_WhenAString()
    {
        Assert.Equal("cancel_order", DecisionText.Intent(Content("""{"intent":"cancel_order","topic":"orders"}""")));
        Assert.Equal("orders", DecisionText.Intent(Content("""{"intent":7,"topic":"orders"}""")));
        Assert.Null(DecisionText.Intent(Content("""{"amount":3}""")));
        Assert.Null(DecisionText.Intent(new CaseContent { Kind = CaseKind.Reply }));
    }

    [Fact]
    public void Of_KeepsPeoplesJudgementsOfTheProposal_Only()
    {
        var person = new Actor("user", "usr_1", "Ana");
        Assert.NotNull(DecisionRecord.Of(Decided(person, Verdict.Reject)));
        Assert.Null(DecisionRecord.Of(Decided(new Actor(Actor.PolicyKind, "policy-v3", "Policy version 3"), Verdict.Approve)));
        Assert.Null(DecisionRecord.Of(Decided(Actor.System, Verdict.Reject)));
        Assert.Null(DecisionRecord.Of(Decided(person, Verdict.HandBack)));
        Assert.Null(DecisionRecord.Of(Decided(person, Verdict.Approve) with { Decision = null }));
        Assert.True(DecisionRecord.Of(Decided(person, Verdict.Approve))!.ApprovedUnchanged);
        Assert.False(DecisionRecord.Of(Decided(person, Verdict.Edit))!.ApprovedUnchanged);
    }

    [Fact]
    public void Of_NamesTheRulesThatAskedForAPerson_Once()
    {
        var c = Decided(new Actor("user", "usr_1", "Ana"), Verdict.Approve) with
        {
            Evaluation = new Evaluation(
                Outcome.Review,
                [new Reason("vip", "VIP customer", Outcome.Review), new Reason("floor", "adjusted the floor", Outcome.Auto), new Reason("vip", "again", Outcome.Review)],
                "support", Priority.Normal, 0.8, 2),
        };

        Assert.Equal(["vip"], DecisionRecord.Of(c)!.Rules);
    }

    private static CaseContent Content(string facts) => new() { Kind = CaseKind.Reply, Facts = JsonDocument.Parse(facts).RootElement };

    private static HandoffCase Decided(Actor by, Verdict verdict) => new()
    {
        Id = "cs_1",
        WorkspaceId = "ws_1",
        Content = new CaseContent { Kind = CaseKind.Reply, Summary = "Refund", Proposal = new Proposal("Sure.", null, 0.7) },
        Evaluation = new Evaluation(Outcome.Review, [new Reason("low-confidence", "Confidence 0.7 < 0.8")], "support", Priority.Normal, 0.8, 2),
        Status = CaseStatus.Approved,
        CreatedAt = At,
        Decision = new Decision { Verdict = verdict, ProposalDigest = new string('a', 64), DecidedBy = by, DecidedAt = At.AddMinutes(3) },
    };
}
