using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications;

/// <summary>
/// Who among the workspace's people hears of an event, by its notification rules (<see cref="NotificationRule"/>;
/// the defaults until an admin sets some), and through which of their channels: the bell in their dashboard, and
/// e-mail when they want it — held back to the end of their quiet hours. Nobody is told of what they did themselves,
/// and disabled people are told nothing.
/// </summary>
internal sealed class PeopleRoute(IHandoffStore store, NotificationRules rules, IEmailComposer email, IOptions<HandoffServerOptions> options) : IEventRoute
{
    // Read once per batch and workspace: the batch's events mostly share a few workspaces.
    private readonly Dictionary<string, Workspace> _workspaces = new(StringComparer.Ordinal);

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        _workspaces.Clear();
        return Task.CompletedTask;
    }

    public async Task RouteAsync(OutboxEvent e, List<NewDelivery> into, CancellationToken cancellationToken)
    {
        var workspace = await WorkspaceAsync(e.WorkspaceId, cancellationToken).ConfigureAwait(false);
        var matching = workspace.Rules.Where(r => r.Event == e.Type).ToList();
        if (matching.Count == 0)
        {
            return;
        }

        var aboutACase = EventMap.IsAboutACase(e.Type);
        var c = aboutACase ? await e.CaseAsync(cancellationToken).ConfigureAwait(false) : null;
        if (aboutACase && c is null)
        {
            return;
        }

        // Who gets what, each person and channel once however many rules name them.
        var told = new Dictionary<(string Person, string Channel), User>();
        foreach (var rule in matching)
        {
            if (rule.Team is { } team && c?.Evaluation.Team != team)
            {
                continue;
            }

            foreach (var person in await RecipientsAsync(rule.To, e, c, workspace, cancellationToken).ConfigureAwait(false))
            {
                if (person.DisabledAt is not null || person.Id == e.Entry.ActorId)
                {
                    continue;
                }

                foreach (var channel in rule.Channels)
                {
                    told.TryAdd((person.Id, channel), person);
                }
            }
        }

        if (told.Count == 0)
        {
            return;
        }

        var notice = c is not null
            ? CaseNotices.From(e.Type, c, options.Value.Notifications.CaseLink(c.Id), e.Entry.At)
            : WorkspaceNotice(e);
        foreach (var ((_, channel), person) in told)
        {
            switch (channel)
            {
                case NotificationRule.DashboardChannel:
                    into.Add(new NewDelivery(
                        e.Id, e.Type, e.WorkspaceId, c?.Id, DashboardChannel.Name, person.Id, (DashboardNotice.From(notice) with { CaseId = c?.Id }).ToJson()));
                    break;
                case NotificationRule.EmailChannel when person.NotificationsOrDefault.Email:
                    into.Add(new NewDelivery(
                        e.Id, e.Type, e.WorkspaceId, c?.Id, DeliveryChannels.Email, person.Email, email.Compose(notice, e.Id, person),
                        person.NotificationsOrDefault.SendableAt(e.Entry.At)));
                    break;
            }
        }
    }

    private async Task<IEnumerable<User>> RecipientsAsync(string to, OutboxEvent e, HandoffCase? c, Workspace workspace, CancellationToken cancellationToken)
    {
        switch (to)
        {
            case NotificationRule.Assignee:
                // The person an offer rings for is named by its entry (the case may ring for someone else by now).
                var id = e.Type == EventTypes.CaseOffered ? OfferedTo(e.Entry.Data) : c?.AssignedTo is { Kind: Actor.UserKind } holder ? holder.Id : null;
                return workspace.People.Where(p => p.Id == id);
            case NotificationRule.TeamMembers:
                return c is null ? [] : workspace.People.Where(p => p.Teams.Contains(c.Evaluation.Team, StringComparer.Ordinal));
            case NotificationRule.Supervisor:
                var team = c is null ? null : await store.GetTeamAsync(e.WorkspaceId, c.Evaluation.Team, cancellationToken).ConfigureAwait(false);
                return workspace.People.Where(p => p.Id == team?.SupervisorId);
            case NotificationRule.Admins:
                return workspace.People.Where(static p => p.Role == UserRole.Admin);
            default:
                var personId = to[NotificationRule.PersonPrefix.Length..];
                return workspace.People.Where(p => p.Id == personId);
        }
    }

    private async Task<Workspace> WorkspaceAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (!_workspaces.TryGetValue(workspaceId, out var workspace))
        {
            var people = await store.ListUsersAsync(workspaceId, cancellationToken).ConfigureAwait(false);
            workspace = new Workspace(await rules.GetAsync(workspaceId, cancellationToken).ConfigureAwait(false), people);
            _workspaces[workspaceId] = workspace;
        }

        return workspace;
    }

    private static string? OfferedTo(string data)
    {
        using var document = JsonDocument.Parse(data);
        return document.RootElement.TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.Object && to.TryGetProperty("id", out var id)
            ? id.GetString()
            : null;
    }

    // Workspace events (autonomy, endpoints, policy) have no case: the notice says what happened and links the
    // dashboard's page for it.
    private CaseNotice WorkspaceNotice(OutboxEvent e)
    {
        var (headline, title, path) = e.Type switch
        {
            EventTypes.AutonomyChanged => ("Autonomy changed", Describe(e.Entry), "/admin/autonomy"),
            EventTypes.EndpointDisabled => ("A webhook endpoint was disabled", Describe(e.Entry), "/settings/webhooks"),
            EventTypes.PolicyPublished => ("A new policy was published", Describe(e.Entry), "/admin/policy"),
            _ => (e.Type, Describe(e.Entry), "/"),
        };
        return new CaseNotice
        {
            EventType = e.Type,
            WorkspaceId = e.WorkspaceId,
            CaseId = "",
            Headline = headline,
            Title = title,
            Priority = Priority.Normal,
            Team = "",
            Status = CaseStatus.Pending,
            Link = $"{options.Value.Notifications.PublicUrl?.TrimEnd('/')}{path}",
            At = e.Entry.At,
        };
    }

    private static string Describe(Core.Audit.AuditEntry entry)
    {
        using var data = JsonDocument.Parse(entry.Data);
        var root = data.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return entry.Action switch
        {
            "webhook.disabled" => $"{Text("url")}: {Text("reason")}",
            "autonomy.changed" => root.TryGetProperty("enabled", out var on) && on.ValueKind == JsonValueKind.False
                ? $"{entry.ActorName} stopped the agents' autonomy{(Text("reason") is { } why ? $": {why}" : "")}"
                : $"{entry.ActorName} let the agents act on their own again",
            "integration.changed" when Text("kind") == "learned-gate" => $"{entry.ActorName}: {Text("summary")}",
            "policy.published" => root.TryGetProperty("version", out var version) ? $"{entry.ActorName} published version {version}" : $"{entry.ActorName} published a policy",
            _ => $"{entry.ActorName}: {entry.Action}",
        };
    }

    private sealed record Workspace(IReadOnlyList<NotificationRule> Rules, IReadOnlyList<User> People);
}

/// <summary>Writes the e-mails (the outbox bodies of <c>email</c> deliveries) that tell a person of notices.</summary>
internal interface IEmailComposer
{
    /// <summary>The e-mail that tells <paramref name="person"/> of one notice.</summary>
    /// <param name="eventId">The event's id: the mail's Message-ID is made from it, so a retried mail is the same mail.</param>
    string Compose(CaseNotice notice, string eventId, User person);

    /// <summary>The daily digest: the cases waiting for <paramref name="person"/> on their local <paramref name="date"/>.</summary>
    string ComposeDigest(IReadOnlyList<CaseNotice> waiting, User person, DateOnly date);
}
