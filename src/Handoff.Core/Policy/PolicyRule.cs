using Handoff.Core.Cases;

namespace Handoff.Core.Policy;

/// <summary>
/// What a compiled rule declares, without its condition. <see cref="Pinned"/> rules are off limits to learning:
/// nothing may relax them automatically. <see cref="Outcome"/> is null for a rule that only sets a
/// <see cref="ConfidenceFloor"/>.
/// </summary>
public sealed record PolicyRule(
    string Id,
    Outcome? Outcome,
    string Reason,
    string? Team,
    Priority? Priority,
    bool Pinned,
    double? ConfidenceFloor,
    int Line);
