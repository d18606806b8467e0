using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Policy;

public sealed class PolicyTeamsTests
{
    private const string Yaml = """
        rules:
          - id: refunds
            when: { facts.amount: { gt: 1000 } }
            outcome: review
            team: billing
            reason: Big refunds.
          - id: legal
            when: { facts.topic: legal }
            outcome: escalate
            team: legal
            reason: Legal questions.
          - id: vip
            when: { subject.tier: gold }
            outcome: review
            team: legal
            reason: Gold customers.
          - id: no-team
            when: { facts.angry: true }
            outcome: review
            reason: Angry.
        defaults:
          team: support
        """;

    private static CompiledPolicy Compiled(string yaml) =>
        PolicyCompiler.Compile(yaml) is { Policy: { } policy } ? policy : throw new InvalidOperationException(string.Join("; ", PolicyCompiler.Compile(yaml).Problems));

    [Fact]
    public void Unknown_TeamsTheWorkspaceLacks_AreWarnedByFieldAndLineInDocumentOrder()
    {
        var warnings = PolicyTeams.Unknown(Compiled(Yaml), ["billing"]);

        Assert.Equal(
            [("rules[1].team", 10), ("rules[2].team", 15), ("defaults.team", 22)],
            warnings.Select(static w => (w.Field, w.Line)));
        Assert.StartsWith("No team 'legal' in this workspace", warnings[0].Message, StringComparison.Ordinal);
        Assert.Equal("22: defaults.team: " + warnings[2].Message, warnings[2].ToString());
    }

    [Fact]
    public void Unknown_WhenEveryNamedTeamExists_OrTheDefaultTeamIsNotWritten_IsEmpty()
    {
        Assert.Empty(PolicyTeams.Unknown(Compiled(Yaml), ["billing", "legal", "support"]));
        // A policy that names no default team sends such cases to 'default' without naming it: nothing to point at.
        Assert.Empty(PolicyTeams.Unknown(Compiled("rules: []"), []));
    }

    [Fact]
    public void Unknown_ComparesTeamNamesExactly()
    {
        var warning = Assert.Single(PolicyTeams.Unknown(Compiled("defaults:\n  team: support\nrules: []"), ["Support"]));

        Assert.Equal(("defaults.team", 2), (warning.Field, warning.Line));
    }
}
