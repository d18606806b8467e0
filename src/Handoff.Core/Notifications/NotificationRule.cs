namespace Handoff.Core.Notifications;

/// <summary>
/// Who is told of an event, and how: "when <see cref="Event"/> happens (to a case of <see cref="Team"/>, or any),
/// tell <see cref="To"/> through <see cref="Channels"/>". The workspace's rules are all applied; a person named by
/// several gets one message per channel. Nobody is told of what they did themselves.
/// </summary>
/// <param name="Event">One of <see cref="EventTypes"/>.</param>
/// <param name="To">
/// <c>assignee</c> (whom the case is offered to or held by), <c>team</c> (the members of the case's team),
/// <c>supervisor</c> (the case's team's supervisor), <c>admins</c> (the workspace's admins), or <c>person:ID</c>.
/// </param>
/// <param name="Channels"><c>email</c> and/or <c>dashboard</c> (the bell in the dashboard's header).</param>
/// <param name="Team">Only events about cases of this team; null for every team (and workspace events).</param>
public sealed record NotificationRule(string Event, string To, IReadOnlyList<string> Channels, string? Team = null)
{
    public const string Assignee = "assignee";
    public const string TeamMembers = "team";
    public const string Supervisor = "supervisor";
    public const string Admins = "admins";
    public const string PersonPrefix = "person:";
    public const string EmailChannel = "email";
    public const string DashboardChannel = "dashboard";

    /// <summary>
    /// What a workspace gets until an admin sets its own: the person a case rings for or is handed to hears of it, and
    /// of its SLA warning; the supervisor of an SLA breach; the admins when autonomy changes, an agent ran something
    /// other than what was approved, or a webhook endpoint is disabled; everyone of the team sees (in the bell) an urgent case.
    /// </summary>
    public static readonly IReadOnlyList<NotificationRule> Defaults =
    [
        new(EventTypes.CaseOffered, Assignee, [EmailChannel, DashboardChannel]),
        new(EventTypes.CaseAssigned, Assignee, [DashboardChannel]),
        new(EventTypes.CaseTransferred, Assignee, [EmailChannel, DashboardChannel]),
        new(EventTypes.SlaWarning, Assignee, [EmailChannel, DashboardChannel]),
        new(EventTypes.SlaBreached, Supervisor, [EmailChannel, DashboardChannel]),
        new(EventTypes.SlaBreached, Assignee, [DashboardChannel]),
        new(EventTypes.TakeoverMessage, Assignee, [DashboardChannel]),
        new(EventTypes.AutonomyChanged, Admins, [EmailChannel, DashboardChannel]),
        new(EventTypes.ExecutionMismatch, Admins, [EmailChannel, DashboardChannel]),
        new(EventTypes.EndpointDisabled, Admins, [EmailChannel, DashboardChannel]),
    ];

    /// <summary>Why a rule is wrong, by field (<c>event</c>, <c>to</c>, <c>channels</c>), or empty when it is right; teams and people are checked against the workspace by the caller.</summary>
    public IEnumerable<(string Field, string Message)> Problems()
    {
        if (!EventTypes.IsKnown(Event))
        {
            yield return ("event", $"'{Event}' is not an event type; one of: {string.Join(", ", EventTypes.All)}.");
        }

        if (To is not (Assignee or TeamMembers or Supervisor or Admins) && !(To.StartsWith(PersonPrefix, StringComparison.Ordinal) && To.Length > PersonPrefix.Length))
        {
            yield return ("to", "One of: assignee, team, supervisor, admins, person:ID.");
        }

        if (Channels.Count == 0 || Channels.Any(static c => c is not (EmailChannel or DashboardChannel)))
        {
            yield return ("channels", "One or both of: email, dashboard.");
        }
    }
}
