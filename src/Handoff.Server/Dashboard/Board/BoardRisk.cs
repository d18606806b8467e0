using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Server.Dashboard.Board;

/// <summary>An open case at warning or past its SLA.</summary>
internal sealed record BoardRisk(HandoffCase Case, SlaStatus Sla);
