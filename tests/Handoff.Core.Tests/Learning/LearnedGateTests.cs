using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Learning;

/// <summary>The policy's learning section, which cases are the learned gate's, its reason, and its live bound.</summary>
public sealed class LearnedGateTests
{
    private const string Rules = """
        rules:
          - id: refund-review
            when: { proposal.action.name: { eq: issue_refund } }
            outcome: review
            reason: Refunds are reviewed.
          - id: legal
            when: { facts.intent: { eq: legal } }
            outcome: escalate
            reason: Legal questions go to a person.
            pinned: true
          - id: fraud
            when: { facts.intent: { eq: fraud } }
            outcome: block
            reason: Fraud is refused.
          - id: vip
            when: { facts.tier: { eq: vip } }
            outcome: auto
            priority: high
            reason: VIPs first.
            pinned: true
        """;

    private static CompiledPolicy Compile(string learning) => PolicyCompiler.Compile(Rules + "\n" + learning).Policy
        ?? throw new InvalidOperationException(string.Join("; ", PolicyCompiler.Compile(Rules + "\n" + learning).Problems));

    private static string[] Problems(string learning) => [.. PolicyCompiler.Compile(Rules + "\n" + learning).Problems.Select(static p => p.Message)];

    [Fact]
    public void APolicyWithoutLearning_HasTheGateOff()
    {
        var policy = PolicyCompiler.Compile(Rules).Policy!;

        Assert.Equal(LearningSettings.Off, policy.Learning);
        Assert.Equal(["low-confidence"], policy.Learning.Learnable);
    }

    [Fact]
    public void TheLearningSection_IsRead()
    {
        var policy = Compile("learning: { mode: auto, maxError: 0.02, confidence: 0.9, minDecisions: 500, qaSample: 0.1, autoQaSample: 0.01, learnable: [low-confidence, refund-review] }");

        Assert.Equal(
            new LearningSettings(LearningMode.Auto, 0.02, 0.9, 500, 0.1) { AutoQaSample = 0.01, Learnable = ["low-confidence", "refund-review"] },
            policy.Learning);
    }

    [Theory]
    [InlineData("learning: { mode: auto, maxError: 0 }", "'maxError' must be")]
    [InlineData("learning: { mode: auto, maxError: 0.5 }", "'maxError' must be")]
    [InlineData("learning: { mode: auto, maxError: -0.1 }", "'maxError' must be")]
    [InlineData("learning: { mode: auto, maxError: lots }", "'maxError' must be")]
    [InlineData("learning: { mode: sometimes }", "unknown learning mode 'sometimes' (expected one of: off, advise, auto)")]
    [InlineData("learning: { confidence: 1 }", "'confidence' must be")]
    [InlineData("learning: { minDecisions: 2.5 }", "'minDecisions' must be a whole number from 10")]
    [InlineData("learning: { qaSample: 0 }", "'qaSample' must be")]
    [InlineData("learning: { autoQaSample: 1.5 }", "'autoQaSample' must be")]
    [InlineData("learning: { learnable: [legal] }", "rule 'legal' is pinned")]
    [InlineData("learning: { learnable: [fraud] }", "rule 'fraud' blocks")]
    [InlineData("learning: { learnable: [nope] }", "learnable rule 'nope' is not a rule of this policy")]
    [InlineData("learning: { learnable: low-confidence }", "'learnable' must be a list")]
    [InlineData("learning: { speed: 3 }", "unknown key 'speed' in learning")]
    [InlineData("learning: auto", "'learning' must be a map")]
    public void BadLearningSettings_AreProblemsNamingTheField(string learning, string expected) =>
        Assert.Contains(Problems(learning), p => p.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void RuleIdLearned_IsReserved() =>
        Assert.Contains(
            PolicyCompiler.Compile("rules:\n  - id: learned\n    when: { kind: { eq: reply } }\n    outcome: review\n    reason: x\n").Problems,
            p => p.Message.Contains("reserved", StringComparison.Ordinal));

    [Theory]
    [InlineData("""{"kind":"action","proposal":{"action":{"name":"reply"},"confidence":0.5}}""", true)] // low confidence only
    [InlineData("""{"kind":"action","proposal":{"action":{"name":"issue_refund"},"confidence":0.9}}""", false)] // refund-review is not learnable here
    [InlineData("""{"kind":"action","proposal":{"action":{"name":"reply"},"confidence":0.9}}""", false)] // auto already
    [InlineData("""{"kind":"action","facts":{"intent":"legal"},"proposal":{"action":{"name":"reply"},"confidence":0.5}}""", false)] // pinned
    [InlineData("""{"kind":"action","facts":{"intent":"fraud"},"proposal":{"action":{"name":"reply"},"confidence":0.5}}""", false)] // blocked
    [InlineData("""{"kind":"action","facts":{"tier":"vip"},"proposal":{"action":{"name":"reply"},"confidence":0.5}}""", false)] // a pinned rule touched it
    public void Eligible_OnlyCasesHeldBackByLearnableRulesAlone(string json, bool expected)
    {
        var policy = Compile("learning: { mode: auto }");
        var content = JsonSerializer.Deserialize<CaseContent>(json, HandoffJson.Options)!;

        Assert.Equal(expected, LearnedGate.Eligible(policy, policy.Evaluate(content)));
    }

    [Fact]
    public void Eligible_NeverWhileLearningIsOff_AndForListedRules()
    {
        var content = JsonSerializer.Deserialize<CaseContent>("""{"kind":"action","proposal":{"action":{"name":"issue_refund"},"confidence":0.5}}""", HandoffJson.Options)!;
        var off = PolicyCompiler.Compile(Rules).Policy!;
        var refunds = Compile("learning: { mode: advise, learnable: [low-confidence, refund-review] }");

        Assert.False(LearnedGate.Eligible(off, off.Evaluate(content)));
        Assert.True(LearnedGate.Eligible(refunds, refunds.Evaluate(content)));
    }

    [Fact]
    public void Approval_SaysWhyInWords()
    {
        var settings = new LearningSettings(LearningMode.Auto, 0.01, 0.95, 200, 0.05);
        var reason = LearnedGate.Approval(0.991, new GateThreshold(0.97, 500, 4, 1000, 0.0175, ""), settings);

        Assert.Equal(("learned", Outcome.Auto), (reason.Rule, reason.Outcome));
        Assert.Equal("learned: similar cases approved 99.2 % unchanged (496 of 500); score 0.991 ≥ 0.97; bound 1 % at 95 % confidence", reason.Text);
    }

    [Fact]
    public void Live_PoolsCalibrationAndQa_AndBreaksWhenQaFindsTooManyErrors()
    {
        var settings = new LearningSettings(LearningMode.Auto, 0.02, 0.95, 200, 0.05);
        // Certified: 0 errors in 400 gives an upper bound of 0.75 %.
        var threshold = new GateThreshold(0.9, 400, 0, 800, Proportion.ClopperPearsonUpper(0, 400, 0.95), "");

        var clean = LearnedGate.Live(threshold, 50, 0, settings);
        var broken = LearnedGate.Live(threshold, 50, 10, settings);

        Assert.False(clean.Broken);
        Assert.Equal(Proportion.ClopperPearsonUpper(0, 450, 0.95), clean.UpperBound, 12);
        Assert.Equal(0.0, clean.Rate);
        Assert.True(broken.Broken);
        Assert.Equal(0.2, broken.Rate);
        Assert.Equal(Proportion.ClopperPearsonLower(10, 50, 1 - 0.05 / (50 * 51)), broken.QaLowerBound, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearnedGate.Live(threshold, 1, 2, settings));
    }

    [Fact]
    public void Live_ByItsRepeatedLooks_StopsAGateWhoseApprovalsErrAtMaxError_InAtMostOneRunIn20()
    {
        // Simulation: 1,000 gates whose approvals err at exactly maxError, each QA-checked 150 times, the stop test run
        // after every check. Spending the budget across looks keeps the share ever stopped within 1 − confidence (a
        // simulation of the same in Python: 32 of 1,000); testing every look at the full 95 % stops 172 of 1,000.
        var settings = new LearningSettings(LearningMode.Auto, 0.02, 0.95, 500, 0.1);
        var threshold = new GateThreshold(0.95, 800, 9, 1100, Proportion.ClopperPearsonUpper(9, 800, 0.95), "");
        var random = new Random(20261206);
        var stopped = 0;
        for (var gate = 0; gate < 1000; gate++)
        {
            var errors = 0;
            for (var check = 1; check <= 150; check++)
            {
                errors += random.NextDouble() < settings.MaxError ? 1 : 0;
                if (LearnedGate.Live(threshold, check, errors, settings).Broken)
                {
                    stopped++;
                    break;
                }
            }
        }

        Assert.InRange(stopped, 0, 50);
    }

    [Fact]
    public void Live_OneUnluckyQaError_DoesNotStopAGateCertifiedNearItsBound_ButAClearExcessDoes()
    {
        // As in the CLINC150 runs: certified with 9 errors among 800 held-out cases (bound 1.96 % ≤ 2 %); then QA finds
        // 1 error in 24 checks. The pooled upper bound passes 2 % (2.05 %), but nothing shows the approvals err above 2 %.
        var settings = new LearningSettings(LearningMode.Auto, 0.02, 0.95, 500, 0.1);
        var threshold = new GateThreshold(0.95, 800, 9, 1100, Proportion.ClopperPearsonUpper(9, 800, 0.95), "");

        var unlucky = LearnedGate.Live(threshold, 24, 1, settings);
        var earlyUnlucky = LearnedGate.Live(threshold, 2, 1, settings);
        var drifted = LearnedGate.Live(threshold, 30, 8, settings);

        Assert.True(unlucky.UpperBound > settings.MaxError);
        Assert.False(unlucky.Broken);
        // One error in the first two checks is not evidence either: the second look tests at 5 % / 6.
        Assert.False(earlyUnlucky.Broken);
        Assert.True(drifted.QaLowerBound > settings.MaxError);
        Assert.True(drifted.Broken);
    }

    [Fact]
    public void AQaCheck_EntersTheLedger_AsThePersonsVerdictOnTheProposal()
    {
        var policy = Compile("learning: { mode: auto }");
        var content = JsonSerializer.Deserialize<CaseContent>("""{"kind":"action","summary":"Refund","proposal":{"action":{"name":"reply"},"confidence":0.5}}""", HandoffJson.Options)!;
        var evaluation = policy.Evaluate(content) with { Outcome = Outcome.Auto, Learned = new GateJudgement(0.99, 0.9, Approved: true, Sample: true) };
        var at = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        var approved = new HandoffCase
        {
            Id = "cs_1", WorkspaceId = "ws", Content = content, Evaluation = evaluation, Status = CaseStatus.Approved, CreatedAt = at,
            Decision = Decisions.ByLearnedGate(content, 1, at),
        };

        Assert.Null(DecisionRecord.Of(approved));
        var record = DecisionRecord.Of(approved with { Qa = new QaReview(false, new Actor("user", "usr_1", "Ada"), at.AddHours(1), "Wrong customer") })!;

        Assert.Equal((Verdict.Reject, "usr_1", true, at.AddHours(1)), (record.Verdict, record.DecidedBy, record.Sample, record.DecidedAt));
        Assert.Equal(["low-confidence"], record.Rules);
        Assert.True(LearnedGate.InPopulation(policy.Learning, record));
    }

    [Fact]
    public void APersonsDecisionOnAHeldBackCase_IsInTheSampleOnlyWhenDrawn()
    {
        var content = new CaseContent { Kind = CaseKind.Reply, Proposal = new Proposal("Hi", null, 0.5) };
        var policy = Compile("learning: { mode: auto }");
        var at = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        HandoffCase Decided(bool sample) => new()
        {
            Id = "cs_2", WorkspaceId = "ws", Content = content, Status = CaseStatus.Approved, CreatedAt = at,
            Evaluation = policy.Evaluate(content) with { Learned = new GateJudgement(0.4, 0.9, Approved: false, sample) },
            Decision = new Decision { Verdict = Verdict.Approve, ProposalDigest = "d", DecidedBy = new Actor("user", "u", "U"), DecidedAt = at },
        };

        Assert.True(DecisionRecord.Of(Decided(true))!.Sample);
        Assert.False(DecisionRecord.Of(Decided(false))!.Sample);
    }
}
