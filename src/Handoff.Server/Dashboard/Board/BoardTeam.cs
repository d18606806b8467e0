using Handoff.Core.Routing;

namespace Handoff.Server.Dashboard.Board;

/// <summary>
/// A team's queue: the open cases nobody holds, and how long the oldest has waited. <see cref="Mode"/> is null for a
/// name cases are routed to that is not (yet) a team.
/// </summary>
internal sealed record BoardTeam(string Name, string DisplayName, AssignmentMode? Mode, int Waiting, TimeSpan? OldestWait);
