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
/// <see cref="Action"/> names the rung, and <see cref="Skipped"/> says what it could not do, else null: why it changed
/// nothing (already urgent, no overflow team, no supervisor), or why a supervisor rung escalated the case without
/// assigning it (already held by someone).
/// </summary>
public sealed record SlaEvent(SlaEventKind Kind, HandoffCase Before, HandoffCase After, BreachAction? Action = null, string? Skipped = null);
