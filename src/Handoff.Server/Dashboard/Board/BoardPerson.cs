using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Storage;

namespace Handoff.Server.Dashboard.Board;

/// <summary>
/// One person on the board: presence as routing sees it, load in the workspace's weights against capacity, the open
/// cases they hold and the offer ringing for them.
/// </summary>
internal sealed record BoardPerson(User User, Presence Presence, int Load, IReadOnlyList<HandoffCase> Holds, HandoffCase? Ringing)
{
    /// <summary>Load as a share of capacity for the bar, 0..1 (a person given more than their capacity fills it).</summary>
    public double LoadShare => User.Capacity <= 0 ? 1 : Math.Min(1, (double)Load / User.Capacity);
}
