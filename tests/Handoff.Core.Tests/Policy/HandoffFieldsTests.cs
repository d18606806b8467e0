using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using static Handoff.Core.Tests.Policy.PolicyTesting;

namespace Handoff.Core.Tests.Policy;

/// <summary>
/// The fields routing, SLA timers and live handoff read (<c>skills</c>, <c>sla</c>, <c>mode</c>): parsed,
/// validated with exact positions, and exposed on the descriptors without changing evaluation.
/// </summary>
public sealed class HandoffFieldsTests
{
    private static string[] Problems(string yaml)
    {
        var compilation = PolicyCompiler.Compile(yaml);
        Assert.False(compilation.Succeeded);
        return [.. compilation.Problems.Select(static problem => problem.ToString())];
    }

    /// <summary>One valid rule with <paramref name="extra"/> (one <c>key: value</c> line) at line 4, column 5.</summary>
    private static string Rule(string extra) => $"""
        rules:
          - id: r
            when: {"{"} kind: reply {"}"}
            {extra}
            outcome: review
            reason: r
        """;

    private static PolicyRule OnlyRule(string extra) => Assert.Single(Compile(Rule(extra)).Rules);

    [Fact]
    public void Compile_WhenRuleSetsSkillsSlaAndMode_ExposesThem()
    {
        var policy = Compile("""
            rules:
              - id: refund-dispute
                when: { facts.topic: billing }
                outcome: escalate
                team: billing
                skills: [refunds, french]
                sla: 4h
                mode: live
                reason: Billing disputes go to a French-speaking refunds specialist.
            """);

        Assert.Equal(
            new PolicyRule("refund-dispute", Outcome.Escalate, "Billing disputes go to a French-speaking refunds specialist.", "billing", null, Pinned: false, ConfidenceFloor: null, Line: 2)
            {
                Skills = ["refunds", "french"],
                Sla = TimeSpan.FromHours(4),
                Mode = HandoffMode.Live,
            },
            policy.Rules[0]);
    }

    [Fact]
    public void Compile_WhenRuleOmitsTheFields_LeavesThemUnset()
    {
        var rule = OnlyRule("team: sales");

        Assert.Empty(rule.Skills);
        Assert.Null(rule.Sla);
        Assert.Null(rule.Mode);
    }

    [Theory]
    [InlineData("skills: []")]
    [InlineData("skills: [billing]")]
    [InlineData("skills:\n      - billing\n      - german")]
    public void Compile_WhenSkillsIsAList_KeepsItemsInOrder(string skills)
    {
        var expected = skills.Contains("german", StringComparison.Ordinal) ? new[] { "billing", "german" }
            : skills.Contains("billing", StringComparison.Ordinal) ? ["billing"] : [];

        Assert.Equal(expected, OnlyRule(skills).Skills);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("15m", 15 * 60)]
    [InlineData("4h", 4 * 3600)]
    [InlineData("2d", 2 * 86400)]
    [InlineData("1e3", 1000)]
    [InlineData("365d", 365 * 86400)]
    [InlineData("31536000", 365 * 86400)]
    public void Compile_WhenSlaIsADuration_ReadsIt(string sla, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), OnlyRule($"sla: {sla}").Sla);

    [Theory]
    [InlineData("live", HandoffMode.Live)]
    [InlineData("queue", HandoffMode.Queue)]
    [InlineData("either", HandoffMode.Either)]
    public void Compile_WhenModeIsKnown_ReadsIt(string mode, HandoffMode expected) =>
        Assert.Equal(expected, OnlyRule($"mode: {mode}").Mode);

    [Fact]
    public void Compile_WhenDefaultsSetModeAndSla_ExposesThem()
    {
        var policy = Compile("defaults:\n  mode: queue\n  sla: 15m\n");

        Assert.Equal(new PolicyDefaults(0.75, Outcome.Review, "default") { Mode = HandoffMode.Queue, Sla = TimeSpan.FromMinutes(15) }, policy.Defaults);
    }

    [Fact]
    public void Compile_WhenDefaultsOmitModeAndSla_IsEitherWithNoSla()
    {
        var defaults = Compile("defaults:\n  team: support\n").Defaults;

        Assert.Equal(HandoffMode.Either, defaults.Mode);
        Assert.Null(defaults.Sla);
    }

    [Fact]
    public void Evaluate_WhenRuleSetsTheFields_GivesTheSameEvaluation()
    {
        var plain = Compile(Rule("team: sales")).Evaluate(Case(confidence: 0.9));
        var declared = Compile(Rule("skills: [refunds]\n    sla: 2d\n    mode: live")).Evaluate(Case(confidence: 0.9));

        Assert.Equal(plain.Outcome, declared.Outcome);
        Assert.Equal(plain.Reasons, declared.Reasons);
        Assert.Equal(plain.Priority, declared.Priority);
        Assert.Equal(Priority.Normal, declared.Priority);
    }

    [Theory]
    [InlineData("skills: billing", "4:13: 'skills' must be a list such as [billing, french], got 'billing'")]
    [InlineData("skills: { billing: 1 }", "4:13: 'skills' must be a list such as [billing, french], got a map")]
    [InlineData("skills:", "4:12: 'skills' must be a list such as [billing, french], got null")]
    [InlineData("skills: [billing, '']", "4:23: each skill must be a non-empty text, got ''")]
    [InlineData("skills: [billing, ~]", "4:23: each skill must be a non-empty text, got null")]
    [InlineData("skills: [[billing]]", "4:14: each skill must be a non-empty text, got a list")]
    [InlineData("mode: now", "4:11: unknown mode 'now' (expected one of: live, queue, either)")]
    [InlineData("mode: Live", "4:11: unknown mode 'Live' (expected one of: live, queue, either)")]
    [InlineData("mode: [live]", "4:11: 'mode' must be a non-empty text, got a list")]
    [InlineData("sla: soon", "4:10: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got 'soon'")]
    [InlineData("sla: 1.5", "4:10: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got '1.5'")]
    [InlineData("sla: 1.5h", "4:10: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got '1.5h'")]
    [InlineData("sla: 4 h", "4:10: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got '4 h'")]
    [InlineData("sla: 4H", "4:10: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got '4H'")]
    [InlineData("sla: 1w", "4:10: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got '1w'")]
    [InlineData("sla: \"90\"", "4:10: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got '90'")]
    [InlineData("sla: true", "4:10: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got 'true'")]
    [InlineData("sla:", "4:9: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got null")]
    [InlineData("sla: [4h]", "4:10: 'sla' must be a whole number of seconds or a text such as 90s, 15m, 4h or 2d, got a list")]
    [InlineData("sla: 0", "4:10: 'sla' must be positive, got '0'")]
    [InlineData("sla: 0m", "4:10: 'sla' must be positive, got '0m'")]
    [InlineData("sla: -60", "4:10: 'sla' must be positive, got '-60'")]
    [InlineData("sla: 366d", "4:10: 'sla' must be at most 365 days, got '366d'")]
    [InlineData("sla: 31536001", "4:10: 'sla' must be at most 365 days, got '31536001'")]
    [InlineData("sla: 99999999999999999999999h", "4:10: 'sla' must be at most 365 days, got '99999999999999999999999h'")]
    [InlineData("sla: 1e400", "4:10: 'sla' must be at most 365 days, got '1e400'")]
    public void Compile_WhenRuleFieldIsInvalid_ReportsItAtTheValue(string extra, string expected) =>
        Assert.Equal([expected], Problems(Rule(extra)));

    [Fact]
    public void Compile_WhenDefaultsModeOrSlaIsInvalid_ReportsEach() =>
        Assert.Equal(
            [
                "2:9: unknown mode 'sometimes' (expected one of: live, queue, either)",
                "3:8: 'sla' must be at most 365 days, got '400d'",
                "4:3: unknown key 'skills' in defaults (expected one of: confidenceFloor, lowConfidence, team, mode, sla, slaByPriority, slaWarnAt, onBreach, liveWait)",
            ],
            Problems("defaults:\n  mode: sometimes\n  sla: 400d\n  skills: [a]\n"));

    [Fact]
    public void Compile_WhenEveryValueHasAProblem_ReportsThemAllInDocumentOrder() =>
        Assert.Equal(
            [
                "4:13: 'skills' must be a list such as [billing, french], got 'refunds'",
                "5:10: 'sla' must be positive, got '0s'",
                "6:11: unknown mode 'later' (expected one of: live, queue, either)",
            ],
            Problems(Rule("skills: refunds\n    sla: 0s\n    mode: later")));

    [Fact]
    public void Compile_ForAnyWholeDurationUpToAYear_ReadsItExactly() =>
        Gen.Select(Gen.Int[1, 365 * 86400], Gen.Int[0, 3]).Sample(static (seconds, unit) =>
        {
            var (text, expected) = unit switch
            {
                0 => ($"{seconds}", TimeSpan.FromSeconds(seconds)),
                1 => ($"{seconds}s", TimeSpan.FromSeconds(seconds)),
                2 => ($"{seconds % (365 * 1440) + 1}m", TimeSpan.FromMinutes(seconds % (365 * 1440) + 1)),
                _ => ($"{seconds % 365 + 1}d", TimeSpan.FromDays(seconds % 365 + 1)),
            };
            Assert.Equal(expected, OnlyRule($"sla: {text}").Sla);
        }, iter: 300);

    [Fact]
    public void PolicyRule_WithEqualSkillsInDifferentLists_IsEqual()
    {
        var a = new PolicyRule("r", Outcome.Review, "r", null, null, false, null, 1) { Skills = ["x", "y"] };
        var b = a with { Skills = new List<string> { "x", "y" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, a with { Skills = ["y", "x"] });
    }
}
