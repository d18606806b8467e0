using Handoff.Core.Routing;

namespace Handoff.Storage;

/// <summary>
/// A team of a workspace: the name cases are routed to (a policy rule's <c>team</c>), how its cases reach its members
/// and when it works. Its members are the users whose <see cref="User.Teams"/> name it. The store sets
/// <see cref="CreatedAt"/> and <see cref="UpdatedAt"/>; whatever a caller puts there is ignored.
/// </summary>
public sealed record Team
{
    /// <summary>How long an offer waits for its member to accept when the team does not say: 30 seconds.</summary>
    public static readonly TimeSpan DefaultAcceptTimeout = TimeSpan.FromSeconds(30);

    public required string WorkspaceId { get; init; }

    /// <summary>The team's id within its workspace (<c>billing</c>): a lowercase token (<see cref="RoutingNames.IsToken"/>) that never changes.</summary>
    public required string Name { get; init; }

    /// <summary>What people read (<c>Billing (EU)</c>).</summary>
    public required string DisplayName { get; init; }

    /// <summary>Whether cases are offered to members (push, the default) or taken by them (pull).</summary>
    public AssignmentMode Mode { get; init; } = AssignmentMode.Push;

    /// <summary>When the team works; null means around the clock.</summary>
    public WorkingHours? WorkingHours { get; init; }

    /// <summary>How long a member has to accept an offered case before it goes to the next one. The default value is 30 seconds.</summary>
    public TimeSpan AcceptTimeout { get; init; } = DefaultAcceptTimeout;

    /// <summary>How long a claim may go without activity before the case goes back to the queue; null means the server's default.</summary>
    public TimeSpan? IdleClaimTimeout { get; init; }

    /// <summary>The team (of the same workspace, never this one) that takes cases this team cannot; null for none.</summary>
    public string? OverflowTeam { get; init; }

    /// <summary>The user (of the same workspace) who supervises the team; null for none.</summary>
    public string? SupervisorId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
