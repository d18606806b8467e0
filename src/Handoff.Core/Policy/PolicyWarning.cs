namespace Handoff.Core.Policy;

/// <summary>
/// Something in a policy that compiles but will not work as written in one workspace, such as a team the workspace does
/// not have. Unlike a <see cref="PolicyProblem"/> it does not stop the policy from being published: the team may be
/// added next.
/// </summary>
/// <param name="Field">Where, as a path into the document: <c>rules[2].team</c>, <c>defaults.team</c>.</param>
/// <param name="Line">The 1-based line of that field.</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record PolicyWarning(string Field, int Line, string Message)
{
    public override string ToString() => $"{Line}: {Field}: {Message}";
}
