namespace Handoff.Core.Policy;

/// <summary>A problem in a policy document, at a 1-based line and column.</summary>
public sealed record PolicyProblem(int Line, int Column, string Message)
{
    public override string ToString() => $"{Line}:{Column}: {Message}";
}
