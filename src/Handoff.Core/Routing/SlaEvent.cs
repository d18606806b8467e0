using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Routing;

/// <summary>What kind of thing happened to a case's SLA.</summary>
public enum SlaEventKind
{
    /// <summary>The warning share of its working time was used.</summary>
    Warning,
    /// <summary>It fell due.</summary>
    Breach,
    /// <summary>A rung of the breach ladder fired.</summary>
    Step,
}

/// <summary>
/// One thing that happened to a case's SLA, and the case after it. For a <see cref="SlaEventKind.Step"/>,
/// <see cref="Action"/> names the rung, and <see cref="Skipped"/> says why it changed nothing (no overflow team, no
/// supervisor, already held by someone), else null.
/// </summary>
public sealed record SlaEvent(SlaEventKind Kind, HandoffCase Before, HandoffCase After, BreachAction? Action = null, string? Skipped = null);
