using Handoff.Core.Cases;
using Handoff.Core.Policy;
using static Handoff.Core.Tests.Policy.PolicyTesting;

namespace Handoff.Core.Tests.Policy;

public sealed class CompiledPolicyTests
{
    // Four rules keyed on facts flags, so each test picks which ones fire.
    private const string Layered = """
        defaults:
          confidenceFloor: 0.7
          team: support
        rules:
          - id: a-review
            when: { facts.a: true }
            outcome: review
            team: billing
            priority: low
            reason: A needs review.
          - id: b-block
            when: { facts.b: true }
            outcome: block
            reason: B is refused.
          - id: c-escalate
            when: { facts.c: true }
            outcome: escalate
            team: specialists
            priority: urgent
            reason: C goes to specialists.
          - id: d-escalate
            when: { facts.d: true }
            outcome: escalate
            team: legal
            priority: high
            reason: D goes to legal.
        """;

    [Fact]
    public void Evaluate_WhenNoRuleFires_ReturnsAutoWithDefaults()
    {
        var evaluation = Compile(Layered, version: 7).Evaluate(Case("{}", confidence: 0.9));

        Assert.Equal(
            (Outcome.Auto, "support", Priority.Normal, 0.7, 7),
            (evaluation.Outcome, evaluation.Team, evaluation.Priority, evaluation.ConfidenceFloor, evaluation.PolicyVersion));
        Assert.Empty(evaluation.Reasons);
    }

    [Fact]
    public void Evaluate_WhenAmountAboveLimit_ReturnsReview()
    {
        var evaluation = Compile(BuiltInPolicy.Yaml).Evaluate(Case("""{"amount": 1500}""", confidence: 0.95));

        Assert.Equal(Outcome.Review, evaluation.Outcome);
        Assert.Equal([new Reason("high-value", "Deals above 1,000 need a person's review.", Outcome.Review)], evaluation.Reasons);
    }

    [Fact]
    public void Evaluate_WhenSeveralRulesFire_MostRestrictiveWinsAndAllAreReasonsInPolicyOrder()
    {
        var evaluation = Compile(Layered).Evaluate(Case("""{"c": true, "a": true, "b": true}""", confidence: 0.99));

        Assert.Equal(Outcome.Block, evaluation.Outcome);
        Assert.Equal(["a-review", "b-block", "c-escalate"], evaluation.Reasons.Select(static reason => reason.Rule));
        Assert.Equal("B is refused.", evaluation.Reasons[1].Text);
    }

    [Fact]
    public void Evaluate_WhenMostRestrictiveRuleHasNoTeam_TakesTheTeamOfTheNextMostRestrictive()
    {
        var evaluation = Compile(Layered).Evaluate(Case("""{"a": true, "b": true, "c": true}""", confidence: 0.99));

        Assert.Equal("specialists", evaluation.Team);
    }

    [Fact]
    public void Evaluate_WhenEquallyRestrictiveRulesNameTeams_TakesTheFirstInPolicyOrder()
    {
        var evaluation = Compile(Layered).Evaluate(Case("""{"d": true, "c": true}"""));

        Assert.Equal("specialists", evaluation.Team);
    }

    [Fact]
    public void Evaluate_WhenOnlyATeamlessRuleFires_UsesTheDefaultTeam() =>
        Assert.Equal("support", Compile(Layered).Evaluate(Case("""{"b": true}""")).Team);

    [Fact]
    public void Evaluate_WhenSeveralPrioritiesFire_TakesTheHighest()
    {
        var policy = Compile(Layered);

        Assert.Equal(Priority.Urgent, policy.Evaluate(Case("""{"a": true, "c": true, "d": true}""")).Priority);
        Assert.Equal(Priority.High, policy.Evaluate(Case("""{"a": true, "d": true}""")).Priority);
    }

    [Fact]
    public void Evaluate_WhenOnlyALowPriorityRuleFires_ReturnsLow() =>
        Assert.Equal(Priority.Low, Compile(Layered).Evaluate(Case("""{"a": true}""")).Priority);

    [Fact]
    public void Evaluate_WhenNoFiredRuleSetsPriority_ReturnsNormal() =>
        Assert.Equal(Priority.Normal, Compile(Layered).Evaluate(Case("""{"b": true}""")).Priority);

    [Fact]
    public void Evaluate_WhenConfidenceBelowFloor_ReturnsLowConfidenceOutcomeWithReason()
    {
        var evaluation = Compile(BuiltInPolicy.Yaml).Evaluate(Case("{}", confidence: 0.52));

        Assert.Equal(Outcome.Review, evaluation.Outcome);
        Assert.Equal([new Reason("low-confidence", "Confidence 0.52 is below the floor 0.75.", Outcome.Review)], evaluation.Reasons);
        Assert.Equal(0.75, evaluation.ConfidenceFloor);
    }

    [Fact]
    public void Evaluate_WhenConfidenceEqualsFloor_ReturnsAuto() =>
        Assert.Equal(Outcome.Auto, Compile(BuiltInPolicy.Yaml).Evaluate(Case("{}", confidence: 0.75)).Outcome);

    [Fact]
    public void Evaluate_WhenNoConfidence_IsLowConfidence()
    {
        var evaluation = Compile(BuiltInPolicy.Yaml).Evaluate(Case("{}", proposalText: "Hello!"));

        Assert.Equal(Outcome.Review, evaluation.Outcome);
        var reason = Assert.Single(evaluation.Reasons);
        Assert.Equal(new Reason("low-confidence", "No confidence was given; the floor is 0.75.", Outcome.Review), reason);
    }

    [Fact]
    public void Evaluate_WhenNoProposalAtAll_IsLowConfidence()
    {
        var evaluation = Compile(BuiltInPolicy.Yaml).Evaluate(Case("{}", kind: CaseKind.Handoff));

        Assert.Equal(Outcome.Review, evaluation.Outcome);
        Assert.Equal("low-confidence", Assert.Single(evaluation.Reasons).Rule);
    }

    [Fact]
    public void Evaluate_WhenLowConfidenceIsEscalate_Escalates()
    {
        var policy = Compile("""
            defaults:
              lowConfidence: escalate
            """);

        Assert.Equal(Outcome.Escalate, policy.Evaluate(Case(confidence: 0.1)).Outcome);
    }

    [Fact]
    public void Evaluate_WhenLowConfidenceAndRuleIsMoreRestrictive_RuleOutcomeStaysAndBothReasonsAppear()
    {
        var evaluation = Compile(Layered).Evaluate(Case("""{"b": true}""", confidence: 0.2));

        Assert.Equal(Outcome.Block, evaluation.Outcome);
        Assert.Equal(["b-block", "low-confidence"], evaluation.Reasons.Select(static reason => reason.Rule));
    }

    [Fact]
    public void Evaluate_WhenRuleLowersTheFloor_ConfidenceAboveItIsAuto()
    {
        var evaluation = Compile(BuiltInPolicy.Yaml).Evaluate(Case(subject: """{"returning": true}""", confidence: 0.65));

        Assert.Equal(Outcome.Auto, evaluation.Outcome);
        Assert.Equal(0.6, evaluation.ConfidenceFloor);
        Assert.Equal([new Reason("returning-customer", "Returning customers get more autonomy.", Outcome.Auto)], evaluation.Reasons);
    }

    [Fact]
    public void Evaluate_WhenSeveralRulesSetFloors_HighestWins()
    {
        var policy = Compile("""
            rules:
              - id: low
                when: { facts.low: true }
                confidenceFloor: 0.5
                reason: Low floor.
              - id: high
                when: { facts.high: true }
                confidenceFloor: 0.9
                reason: High floor.
            """);

        var both = policy.Evaluate(Case("""{"low": true, "high": true}""", confidence: 0.8));
        var lowOnly = policy.Evaluate(Case("""{"low": true}""", confidence: 0.8));

        Assert.Equal(0.9, both.ConfidenceFloor);
        Assert.Equal(Outcome.Review, both.Outcome);
        Assert.Equal("Confidence 0.8 is below the floor 0.9.", both.Reasons[^1].Text);
        Assert.Equal(0.5, lowOnly.ConfidenceFloor);
        Assert.Equal(Outcome.Auto, lowOnly.Outcome);
    }

    [Fact]
    public void Evaluate_WhenAutonomyStoppedAndCaseWouldBeAuto_EscalatesWithReason()
    {
        var evaluation = Compile(BuiltInPolicy.Yaml).Evaluate(Case(subject: """{"returning": true}""", confidence: 0.99), autonomyEnabled: false);

        Assert.Equal(Outcome.Escalate, evaluation.Outcome);
        Assert.Equal(
            [new Reason("returning-customer", "Returning customers get more autonomy.", Outcome.Auto), new Reason("autonomy-stopped", "Autonomy is stopped: every case goes to a person.", Outcome.Escalate)],
            evaluation.Reasons);
    }

    [Fact]
    public void Evaluate_WhenAutonomyStoppedAndCaseNeedsAPersonAnyway_KeepsTheOutcomeWithoutExtraReason()
    {
        var evaluation = Compile(BuiltInPolicy.Yaml).Evaluate(Case("""{"amount": 5000}"""), autonomyEnabled: false);

        Assert.Equal(Outcome.Review, evaluation.Outcome);
        Assert.DoesNotContain(evaluation.Reasons, static reason => reason.Rule == "autonomy-stopped");
    }

    [Fact]
    public void Evaluate_WhenRuleHasOnlyAFloor_DoesNotChangeTheOutcome() =>
        Assert.Equal(Outcome.Auto, Compile(BuiltInPolicy.Yaml).Evaluate(Case(subject: """{"returning": true}""", confidence: 0.99)).Outcome);

    [Fact]
    public void Evaluate_WhenRuleOutcomeIsAuto_FiresWithoutRestricting()
    {
        var policy = Compile("""
            rules:
              - id: faq
                when: { kind: question }
                outcome: auto
                team: faq
                reason: Questions are answered alone.
            """);

        var evaluation = policy.Evaluate(Case(kind: CaseKind.Question, confidence: 0.99));

        Assert.Equal(Outcome.Auto, evaluation.Outcome);
        Assert.Equal("faq", evaluation.Team);
        Assert.Single(evaluation.Reasons);
    }

    [Fact]
    public void Evaluate_WhenCalledFromManyThreads_GivesTheSameAnswers()
    {
        var policy = Compile(BuiltInPolicy.Yaml);
        var medical = Case(summary: "Can I get a prescription?");
        var plain = Case("""{"amount": 10}""", confidence: 0.9);

        Parallel.For(0, 2000, i =>
        {
            var evaluation = policy.Evaluate(i % 2 == 0 ? medical : plain);
            Assert.Equal(i % 2 == 0 ? Outcome.Escalate : Outcome.Auto, evaluation.Outcome);
        });
    }

    [Fact]
    public void Rules_WhenCompiled_ExposeWhatEachRuleDeclares()
    {
        var policy = Compile(BuiltInPolicy.Yaml, version: 3);

        Assert.Equal(3, policy.Version);
        Assert.Equal(BuiltInPolicy.Yaml, policy.Source);
        Assert.Equal(new PolicyDefaults(0.75, Outcome.Review, "support"), policy.Defaults);
        Assert.Equal(["medical-legal", "high-value", "returning-customer"], policy.RuleIds);
        Assert.Equal(
            new PolicyRule("medical-legal", Outcome.Escalate, "Medical or legal questions always go to a person.", "specialists", Priority.High, Pinned: true, ConfidenceFloor: null, Line: 6),
            policy.Rules[0]);
        Assert.False(policy.Rules[1].Pinned);
        Assert.Null(policy.Rules[2].Outcome);
        Assert.Equal(0.6, policy.Rules[2].ConfidenceFloor);
    }

    [Fact]
    public void Compile_WhenEmpty_AppliesStandardDefaults()
    {
        foreach (var yaml in new[] { "", "# nothing yet\n", "rules: []", "defaults:\nrules:\n" })
        {
            var policy = Compile(yaml);

            Assert.Equal(new PolicyDefaults(0.75, Outcome.Review, "default"), policy.Defaults);
            Assert.Empty(policy.RuleIds);
            Assert.Equal(Outcome.Auto, policy.Evaluate(Case(confidence: 0.8)).Outcome);
            Assert.Equal(Outcome.Review, policy.Evaluate(Case(confidence: 0.7)).Outcome);
        }
    }
}
