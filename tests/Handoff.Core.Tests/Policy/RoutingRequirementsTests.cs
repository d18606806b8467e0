using System.Text.Json;
using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using static Handoff.Core.Tests.Policy.PolicyTesting;

namespace Handoff.Core.Tests.Policy;

/// <summary>
/// What the policy asks of the person who takes a case (<see cref="Evaluation.Routing"/>): the fields that declare it
/// (<c>approvals</c>, <c>liveWait</c>, <c>slaByPriority</c>, <c>slaWarnAt</c>, <c>onBreach</c>), how fired rules combine,
/// and that it survives being stored with the case.
/// </summary>
public sealed class RoutingRequirementsTests
{
    private static readonly CaseContent LowConfidence = Case(confidence: 0.1, proposalText: "x");
    private static readonly CaseContent Confident = Case(confidence: 0.99, proposalText: "x");

    private static string[] Problems(string yaml)
    {
        var compilation = PolicyCompiler.Compile(yaml);
        Assert.False(compilation.Succeeded);
        return [.. compilation.Problems.Select(static problem => problem.ToString())];
    }

    /// <summary>One review rule that always fires, with <paramref name="extra"/> at line 4, column 5.</summary>
    private static string Rule(string extra) => $"""
        rules:
          - id: r
            when: {"{"} kind: reply {"}"}
            {extra}
            outcome: review
            reason: r
        """;

    [Theory]
    [InlineData("approvals: 2", 2, null)]
    [InlineData("approvals: { count: 2, role: supervisor }", 2, "supervisor")]
    [InlineData("approvals: { count: 1, role: admin }", 1, "admin")]
    [InlineData("approvals: 5", 5, null)]
    public void Compile_WhenRuleSetsApprovals_ReadsThem(string extra, int count, string? role) =>
        Assert.Equal(new ApprovalRule(count, role), Assert.Single(Compile(Rule(extra)).Rules).Approvals);

    [Theory]
    [InlineData("approvals: 0", "4:16: the number of approvals must be a whole number from 1 to 5, got '0'")]
    [InlineData("approvals: 6", "4:16: the number of approvals must be a whole number from 1 to 5, got '6'")]
    [InlineData("approvals: 1.5", "4:16: the number of approvals must be a whole number from 1 to 5, got '1.5'")]
    [InlineData("approvals: two", "4:16: the number of approvals must be a whole number from 1 to 5, got 'two'")]
    [InlineData("approvals: [2]", "4:16: 'approvals' must be a number such as 2 or a map such as { count: 2, role: supervisor }, got a list")]
    [InlineData("approvals: { role: supervisor }", "4:16: 'approvals' needs a 'count'")]
    [InlineData("approvals: { count: 2, role: boss }", "4:34: unknown role 'boss' (expected one of: reviewer, supervisor, admin)")]
    [InlineData("approvals: { count: 2, role: Supervisor }", "4:34: unknown role 'Supervisor' (expected one of: reviewer, supervisor, admin)")]
    [InlineData("approvals: { count: 2, who: x }", "4:28: unknown key 'who' in approvals (expected one of: count, role)")]
    [InlineData("liveWait: 2h", "4:15: 'liveWait' must be at most 1 hour (a customer waiting longer is a queued case), got '2h'")]
    [InlineData("liveWait: 0s", "4:15: 'liveWait' must be positive, got '0s'")]
    [InlineData("liveWait: soon", "4:15: 'liveWait' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got 'soon'")]
    public void Compile_WhenRuleFieldIsInvalid_ReportsItAtTheValue(string extra, string expected) =>
        Assert.Equal([expected], Problems(Rule(extra)));

    [Fact]
    public void Compile_WhenDefaultsSetTheSlaLadder_ReadsIt()
    {
        var defaults = Compile("""
            defaults:
              slaByPriority: { urgent: 15m, high: 1h, normal: 8h }
              slaWarnAt: 0.75
              liveWait: 45s
              onBreach:
                - { after: 0s, action: raisePriority }
                - { after: 30m, action: overflow }
                - { after: 1h, action: supervisor }
                - { after: 4h, action: timeout }
            """).Defaults;

        Assert.Equal(TimeSpan.FromMinutes(15), defaults.SlaByPriority[Priority.Urgent]);
        Assert.Equal(TimeSpan.FromHours(8), defaults.SlaByPriority[Priority.Normal]);
        Assert.False(defaults.SlaByPriority.ContainsKey(Priority.Low));
        Assert.Equal(0.75, defaults.SlaWarnAt);
        Assert.Equal(TimeSpan.FromSeconds(45), defaults.LiveWait);
        Assert.Equal(
            [
                new BreachStep(TimeSpan.Zero, BreachAction.RaisePriority),
                new BreachStep(TimeSpan.FromMinutes(30), BreachAction.Overflow),
                new BreachStep(TimeSpan.FromHours(1), BreachAction.Supervisor),
                new BreachStep(TimeSpan.FromHours(4), BreachAction.Timeout),
            ],
            defaults.OnBreach);
    }

    [Fact]
    public void Compile_WhenDefaultsOmitTheLadder_HasNoSlasWarnsAt80PercentAndRingsAMinute()
    {
        var defaults = Compile("rules: []").Defaults;

        Assert.Empty(defaults.SlaByPriority);
        Assert.Equal(0.8, defaults.SlaWarnAt);
        Assert.Empty(defaults.OnBreach);
        Assert.Equal(TimeSpan.FromMinutes(1), defaults.LiveWait);
    }

    [Fact]
    public void Compile_WhenTheLadderIsWrong_ReportsEveryProblemWhereItIs() =>
        Assert.Equal(
            [
                "2:20: unknown key 'asap' in slaByPriority (expected one of: low, normal, high, urgent)",
                "3:14: 'slaWarnAt' must be a number between 0 and 1 (a share of the SLA, such as 0.8), got '80'",
                "6:7: onBreach names action 'overflow' twice",
                "7:28: unknown action 'page' (expected one of: raisePriority, overflow, supervisor, timeout)",
                "8:7: each onBreach step needs both 'after' and 'action'",
                "9:14: 'after' must be zero or more, got '-1'",
                "11:7: onBreach steps must be listed in order of 'after'",
            ],
            Problems("""
                defaults:
                  slaByPriority: { asap: 1h }
                  slaWarnAt: 80
                  onBreach:
                    - { after: 1h, action: overflow }
                    - { after: 0s, action: overflow }
                    - { after: 2h, action: page }
                    - { action: timeout }
                    - after: -1
                      action: supervisor
                    - { after: 30m, action: raisePriority }
                """));

    [Theory]
    [InlineData("slaWarnAt: 0")]
    [InlineData("slaWarnAt: 1")]
    [InlineData("slaWarnAt: high")]
    [InlineData("slaByPriority: [1h]")]
    [InlineData("onBreach: raisePriority")]
    [InlineData("liveWait: 3601")]
    public void Compile_WhenADefaultIsOutOfRange_ReportsIt(string line) =>
        Assert.Single(Problems($"defaults:\n  {line}\n"));

    [Fact]
    public void Evaluate_WhenNoPersonMustSeeTheCase_HasNoRouting()
    {
        var policy = Compile("""
            rules:
              - id: refuse
                when: { facts.amount: { gt: 100 } }
                outcome: block
                reason: Too much.
            """);

        Assert.Null(policy.Evaluate(Confident).Routing);
        Assert.Null(policy.Evaluate(Case(facts: """{"amount": 500}""", confidence: 0.1, proposalText: "x")).Routing);
    }

    [Fact]
    public void Evaluate_WhenNoRuleSaysAnything_TakesTheDefaults()
    {
        var routing = Compile("""
            defaults:
              mode: queue
              sla: 2d
              liveWait: 20s
              slaWarnAt: 0.5
              onBreach: [{ after: 0s, action: supervisor }]
            """).Evaluate(LowConfidence).Routing;

        Assert.Equal(
            new RoutingRequirements([], null, HandoffMode.Queue, TimeSpan.FromDays(2), 0.5, [new BreachStep(TimeSpan.Zero, BreachAction.Supervisor)], TimeSpan.FromSeconds(20), ApprovalRule.Single),
            routing);
    }

    [Fact]
    public void Evaluate_WhenSeveralRulesFire_CombinesThemStrictestFirst()
    {
        var policy = Compile("""
            defaults:
              mode: queue
              slaByPriority: { high: 1h }
            rules:
              - id: refunds
                when: { facts.topic: refund }
                outcome: review
                skills: [Refunds, german]
                sla: 4h
                liveWait: 90s
                approvals: 2
                reason: Refunds.
              - id: angry
                when: { signals.sentiment: { lt: 0 } }
                outcome: escalate
                priority: high
                skills: [refunds, deescalation]
                mode: live
                sla: 30m
                liveWait: 30s
                approvals: { count: 1, role: supervisor }
                reason: Angry customer.
              - id: quiet
                when: { facts.topic: refund }
                outcome: review
                mode: queue
                reason: Refunds can wait.
            """);

        var routing = policy.Evaluate(Case(facts: """{"topic": "refund"}""", signals: """{"sentiment": -0.5}""", subject: """{"language": " DE "}""", confidence: 0.9, proposalText: "x")).Routing!;

        Assert.Equal(["refunds", "german", "deescalation"], routing.Skills);
        Assert.Equal("de", routing.Language);
        Assert.Equal(HandoffMode.Live, routing.Mode);
        Assert.Equal(TimeSpan.FromMinutes(30), routing.Sla);
        Assert.Equal(TimeSpan.FromSeconds(30), routing.LiveWait);
        Assert.Equal(new ApprovalRule(2, "supervisor"), routing.Approvals);
    }

    [Fact]
    public void Evaluate_WhenNoRuleSetsAnSla_UsesTheOneForTheFinalPriority()
    {
        var policy = Compile("""
            defaults:
              sla: 1d
              slaByPriority: { high: 1h }
            rules:
              - id: vip
                when: { subject.tier: gold }
                priority: high
                outcome: review
                reason: Gold customers.
            """);

        Assert.Equal(TimeSpan.FromHours(1), policy.Evaluate(Case(subject: """{"tier": "gold"}""", confidence: 0.1, proposalText: "x")).Routing!.Sla);
        Assert.Equal(TimeSpan.FromDays(1), policy.Evaluate(LowConfidence).Routing!.Sla);
    }

    [Theory]
    [InlineData("""{"language": 7}""")]
    [InlineData("""{"language": ""}""")]
    [InlineData("""{"language": "   "}""")]
    [InlineData("""{"lang": "de"}""")]
    [InlineData("""["de"]""")]
    public void Evaluate_WhenTheSubjectStatesNoUsableLanguage_RequiresNone(string subject) =>
        Assert.Null(Compile("rules: []").Evaluate(Case(subject: subject, confidence: 0.1, proposalText: "x")).Routing!.Language);

    [Fact]
    public void Evaluation_WithRouting_SurvivesStorageAndOldCasesReadWithout()
    {
        var evaluation = Compile("""
            defaults:
              slaByPriority: { normal: 2h }
              onBreach: [{ after: 10m, action: raisePriority }]
            rules:
              - id: r
                when: { kind: reply }
                outcome: review
                skills: [billing]
                approvals: { count: 2, role: admin }
                reason: r
            """).Evaluate(Case(subject: """{"language": "fr"}"""));

        var json = JsonSerializer.Serialize(evaluation, HandoffJson.Options);
        var read = JsonSerializer.Deserialize<Evaluation>(json, HandoffJson.Options)!;
        Assert.NotNull(read.Routing);
        Assert.Equal(evaluation.Routing, read.Routing);
        Assert.Equal(json, JsonSerializer.Serialize(read, HandoffJson.Options));

        var old = JsonSerializer.Deserialize<Evaluation>("""{"outcome":"review","reasons":[],"team":"t","priority":"normal","confidenceFloor":0.75,"policyVersion":3}""", HandoffJson.Options)!;
        Assert.Null(old.Routing);
    }

    [Fact]
    public void ApprovalRule_Strictest_TakesTheLargerCountAndTheHigherRole()
    {
        Assert.Equal(new ApprovalRule(2, "supervisor"), new ApprovalRule(2, null).Strictest(new ApprovalRule(1, "supervisor")));
        Assert.Equal(new ApprovalRule(3, "admin"), new ApprovalRule(1, "admin").Strictest(new ApprovalRule(3, "reviewer")));
        Assert.True(new ApprovalRule(2, "supervisor").Admits("admin"));
        Assert.True(new ApprovalRule(2, "supervisor").Admits("supervisor"));
        Assert.False(new ApprovalRule(2, "supervisor").Admits("reviewer"));
        Assert.True(ApprovalRule.Single.Admits("reviewer"));
    }

    [Fact]
    public void Evaluate_ForAnySetOfFiredRules_TakesTheShortestSlaAndWaitAndTheMostApprovals() =>
        Gen.Select(Gen.Int[1, 5].Array[1, 6], Gen.Int[1, 500].Array[6], Gen.Bool.Array[6]).Sample(static (approvals, minutes, fires) =>
        {
            var rules = string.Concat(approvals.Select((count, i) => $"""

                  - id: r{i}
                    when: {"{"} facts.f{i}: true {"}"}
                    outcome: review
                    sla: {minutes[i]}m
                    liveWait: {minutes[i] % 60 + 1}s
                    approvals: {count}
                    reason: r{i}
                """));
            var facts = "{" + string.Join(',', approvals.Select((_, i) => $"\"f{i}\": {(fires[i] ? "true" : "false")}")) + "}";
            var routing = Compile("defaults: { sla: 1d, liveWait: 2m }\nrules:" + rules).Evaluate(Case(facts: facts, confidence: 0.1, proposalText: "x")).Routing!;

            var fired = Enumerable.Range(0, approvals.Length).Where(i => fires[i]).ToArray();
            Assert.Equal(fired.Length == 0 ? TimeSpan.FromDays(1) : TimeSpan.FromMinutes(fired.Min(i => minutes[i])), routing.Sla);
            Assert.Equal(fired.Length == 0 ? TimeSpan.FromMinutes(2) : TimeSpan.FromSeconds(fired.Min(i => minutes[i] % 60 + 1)), routing.LiveWait);
            Assert.Equal(fired.Length == 0 ? 1 : fired.Max(i => approvals[i]), routing.Approvals.Count);
        }, iter: 200);
}
