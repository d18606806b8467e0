using Handoff.Core.Cases;

namespace Handoff.Core.Policy;

/// <summary>A rule ready to evaluate: what it declares, its condition, and its reason built once.</summary>
internal sealed record CompiledRule(PolicyRule Descriptor, Condition When)
{
    public Reason Reason { get; } = new(Descriptor.Id, Descriptor.Reason, Descriptor.Outcome ?? Outcome.Auto);
}
