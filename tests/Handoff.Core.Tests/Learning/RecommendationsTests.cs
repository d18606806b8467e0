using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Learning;

/// <summary>Recommendations from agreement, and the edits that apply them to a policy's YAML.</summary>
public sealed class RecommendationsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly CompiledPolicy Policy = PolicyCompiler.Compile(BuiltInPolicy.Yaml).Policy!;

    [Fact]
    public void ARuleApprovedUnchangedReliably_MayRunAuto_ButNeverAPinnedOne()
    {
        var records = Many(100, ["high-value"], approved: 100).Concat(Many(200, ["medical-legal"], approved: 200)).ToList();

        var found = Recommendations.From(Policy, records);

        var only = Assert.Single(found);
        Assert.Equal(("auto:high-value", RecommendationKind.RunAuto, "high-value", 100, 100), (only.Id, only.Kind, only.Rule, only.Decisions, only.ApprovedUnchanged));
        Assert.Equal("rule 'high-value': 100 of 100 approved unchanged, lower bound 96.3 %: let it run auto", only.Text);
    }

    [Theory]
    [InlineData(49, 49)] // too few
    [InlineData(300, 290)] // 96.7 %, lower bound 94.0 %: not reliable enough
    public void TooFewOrTooUnreliable_RecommendsNothing(int decisions, int approved) =>
        Assert.Empty(Recommendations.From(Policy, Many(decisions, ["high-value"], approved).ToList()));

    [Fact]
    public void TheFloor_GoesDownAsFarAsEachBandHasCasesApprovedReliably()
    {
        // Held only for low confidence (floor 0.75): 0.70–0.75 and 0.65–0.70 approved every time, 0.60–0.65 often not.
        var records = Many(40, ["low-confidence"], 40, confidence: 0.72)
            .Concat(Many(40, ["low-confidence"], 40, confidence: 0.67))
            .Concat(Many(40, ["low-confidence"], 25, confidence: 0.62))
            .ToList();

        var floor = Assert.Single(Recommendations.From(Policy, records));

        Assert.Equal(("floor:0.65", RecommendationKind.LowerFloor, 0.65, 80), (floor.Id, floor.Kind, floor.Floor, floor.Decisions));
        Assert.StartsWith("low confidence: 80 of 80 proposals with confidence from 0.65 to 0.75 approved unchanged", floor.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFloor_StopsWhereThereIsNoEvidence()
    {
        var records = Many(100, ["low-confidence"], 100, confidence: 0.72).ToList();

        Assert.Equal(0.7, Assert.Single(Recommendations.From(Policy, records)).Floor);
    }

    [Fact]
    public void Apply_RunAuto_ChangesThatRulesOutcomeOnly_KeepingCommentsAndLayout()
    {
        var recommendation = new Recommendation("auto:high-value", RecommendationKind.RunAuto, "high-value", null, 100, 100, 0.96, "");

        var edited = PolicyEdit.Apply(BuiltInPolicy.Yaml, recommendation)!;

        Assert.Equal(BuiltInPolicy.Yaml.Replace("    outcome: review\n    team: sales", "    outcome: auto\n    team: sales", StringComparison.Ordinal), edited);
        Assert.Equal(Outcome.Auto, PolicyCompiler.Compile(edited).Policy!.Rules.Single(r => r.Id == "high-value").Outcome);
    }

    [Fact]
    public void Apply_LowerFloor_ChangesTheDefaultsFloor_OrAddsOne()
    {
        var recommendation = new Recommendation("floor:0.65", RecommendationKind.LowerFloor, null, 0.65, 80, 80, 0.95, "");

        var edited = PolicyEdit.Apply(BuiltInPolicy.Yaml, recommendation)!;
        var added = PolicyEdit.Apply("defaults:\n  team: support\nrules: []\n", recommendation)!;
        var none = PolicyEdit.Apply("rules: []\n", recommendation)!;

        Assert.Contains("confidenceFloor: 0.65      # a proposal below the floor needs a person", edited, StringComparison.Ordinal);
        Assert.Equal(0.65, PolicyCompiler.Compile(edited).Policy!.Defaults.ConfidenceFloor);
        Assert.Equal("defaults:\n  confidenceFloor: 0.65\n  team: support\nrules: []\n", added);
        Assert.Equal(0.65, PolicyCompiler.Compile(none).Policy!.Defaults.ConfidenceFloor);
        // After a document start marker, not before it.
        var marked = PolicyEdit.Apply("---\nrules: []\n", recommendation)!;
        Assert.Equal("---\ndefaults:\n  confidenceFloor: 0.65\nrules: []\n", marked);
        Assert.Null(PolicyEdit.Apply("{rules: []}", recommendation));
    }

    [Fact]
    public void Apply_ToAPolicyWithoutWhatItChanges_IsNull()
    {
        var recommendation = new Recommendation("auto:gone", RecommendationKind.RunAuto, "gone", null, 100, 100, 0.96, "");

        Assert.Null(PolicyEdit.Apply(BuiltInPolicy.Yaml, recommendation));
        Assert.Null(PolicyEdit.Apply("rules: [", recommendation));
    }

    private static IEnumerable<DecisionRecord> Many(int count, string[] rules, int approved, double confidence = 0.9) =>
        Enumerable.Range(0, count).Select(i => new DecisionRecord(
            $"cs_{i}", At, At, CaseKind.Action, "issue_refund", null, rules, confidence, i < approved ? Verdict.Approve : Verdict.Reject, "usr_1", ""));
}
