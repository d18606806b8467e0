using Handoff.Core.Policy;

namespace Handoff.Core.Cases;

/// <summary>One rung of a case's breach ladder: <see cref="Action"/> at <see cref="At"/>, done at <see cref="DoneAt"/>.</summary>
public sealed record SlaRung(DateTimeOffset At, BreachAction Action, DateTimeOffset? DoneAt = null);
