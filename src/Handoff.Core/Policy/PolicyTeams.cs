namespace Handoff.Core.Policy;

/// <summary>The teams a policy sends cases to, checked against the teams a workspace has.</summary>
public static class PolicyTeams
{
    /// <summary>
    /// A warning for every team the policy names (each rule's <c>team</c>, and <c>defaults.team</c> when it is written)
    /// that is not among <paramref name="teams"/>, in document order. A case sent to such a team is offered to nobody
    /// and shows in no member's team inbox until the team is added. The default team a policy leaves unwritten
    /// (<c>default</c>) is not named by the policy and not reported. Policies name no overflow team: overflow is a
    /// setting of the team itself, checked when the team is saved.
    /// </summary>
    public static IReadOnlyList<PolicyWarning> Unknown(CompiledPolicy policy, IReadOnlyCollection<string> teams)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(teams);
        var known = teams as IReadOnlySet<string> ?? new HashSet<string>(teams, StringComparer.Ordinal);
        var warnings = new List<PolicyWarning>();
        if (policy.Defaults.TeamLine is { } defaultsLine && !known.Contains(policy.Defaults.Team))
        {
            warnings.Add(new PolicyWarning("defaults.team", defaultsLine, NoSuchTeam(policy.Defaults.Team)));
        }

        for (var i = 0; i < policy.Rules.Count; i++)
        {
            if (policy.Rules[i] is { Team: { } team } rule && !known.Contains(team))
            {
                warnings.Add(new PolicyWarning($"rules[{i}].team", rule.TeamLine ?? rule.Line, NoSuchTeam(team)));
            }
        }

        return [.. warnings.OrderBy(static w => w.Line)];
    }

    private static string NoSuchTeam(string team) =>
        $"No team '{team}' in this workspace: its cases are offered to nobody until the team is added (handoff teams add {team}, or POST /v1/teams).";
}
