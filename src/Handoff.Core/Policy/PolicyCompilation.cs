namespace Handoff.Core.Policy;

/// <summary>
/// The result of <see cref="PolicyCompiler.Compile"/>: a policy ready to evaluate, or every problem found in the
/// document. <see cref="Policy"/> is null exactly when <see cref="Problems"/> is not empty.
/// </summary>
public sealed record PolicyCompilation(CompiledPolicy? Policy, IReadOnlyList<PolicyProblem> Problems)
{
    public bool Succeeded => Policy is not null;
}
