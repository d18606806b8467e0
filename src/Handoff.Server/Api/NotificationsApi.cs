using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Handoff.Core.Notifications;
using Handoff.Server.Auth;
using Handoff.Server.Notifications;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Api;

/// <summary>Who is told what: the workspace's notification rules, and each person's preferences. Admin keys.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/v1/notifications").WithTags("Notifications").RequireAuthorization(Roles.Admin);
        rules.MapGet("/rules", GetRulesAsync).WithName("getNotificationRules").WithSummary("The workspace's notification rules (the defaults until some are set).");
        rules.MapPut("/rules", SetRulesAsync).WithName("setNotificationRules").Accepts<RulesBody>("application/json")
            .WithSummary("Replace the notification rules: each names an event, whom to tell (assignee, team, supervisor, admins, person:ID) and how (email, dashboard).");
        rules.MapDelete("/rules", ResetRulesAsync).WithName("resetNotificationRules").WithSummary("Back to the default rules.");

        var people = app.MapGroup("/v1/people").WithTags("Notifications").RequireAuthorization(Roles.Admin);
        people.MapGet("/{id}/notifications", GetPreferencesAsync).WithName("getNotificationPreferences").WithSummary("What a person wants to be told, and when.");
        people.MapPut("/{id}/notifications", SetPreferencesAsync).WithName("setNotificationPreferences").Accepts<PreferencesBody>("application/json")
            .WithSummary("Set a person's notification preferences: e-mail on or off, time zone, quiet hours, daily digest.");
        return app;
    }

    /// <summary>The body of <c>PUT /v1/notifications/rules</c>.</summary>
    public sealed record RulesBody([property: Required] IReadOnlyList<RuleBody?>? Rules);

    public sealed record RuleBody(string? Event, string? To, IReadOnlyList<string>? Channels, string? Team);

    public sealed record RulesView(IReadOnlyList<NotificationRule> Rules, bool Defaults);

    /// <summary>A person's notification preferences; absent fields take their defaults. Times are <c>HH:mm</c>, local to <see cref="TimeZone"/>.</summary>
    public sealed record PreferencesBody(bool? Email, string? TimeZone, QuietHoursBody? QuietHours, bool? Digest, string? DigestAt);

    public sealed record QuietHoursBody(string? From, string? To);

    public sealed record PreferencesView(bool Email, string? TimeZone, QuietHoursBody? QuietHours, bool Digest, string DigestAt)
    {
        internal static PreferencesView From(NotificationPreferences p) => new(
            p.Email, p.TimeZone, p.QuietHours is { } q ? new QuietHoursBody(Time(q.From), Time(q.To)) : null, p.Digest, Time(p.DigestAt));

        private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    private static async Task<Ok<RulesView>> GetRulesAsync(ClaimsPrincipal user, IHandoffStore store, NotificationRules rules, CancellationToken cancellationToken)
    {
        var workspace = user.WorkspaceId();
        var isSet = await store.GetIntegrationAsync(workspace, NotificationRules.Kind, cancellationToken).ConfigureAwait(false) is not null;
        return TypedResults.Ok(new RulesView(await rules.GetAsync(workspace, cancellationToken).ConfigureAwait(false), !isSet));
    }

    private static async Task<Results<Ok<RulesView>, ValidationProblem, ProblemHttpResult>> SetRulesAsync(
        HttpRequest request, ClaimsPrincipal user, IHandoffStore store, NotificationRules rules, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RulesBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var workspace = user.WorkspaceId();
        var errors = new ValidationErrors();
        if (body!.Rules is null)
        {
            errors.Add("rules", "Required: a list of rules (an empty list tells nobody anything; DELETE brings the defaults back).");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (body.Rules.Count > 200)
        {
            errors.Add("rules", "At most 200 rules.");
        }

        var teams = (await store.ListTeamsAsync(workspace, cancellationToken).ConfigureAwait(false)).Select(static t => t.Name).ToHashSet(StringComparer.Ordinal);
        var people = (await store.ListUsersAsync(workspace, cancellationToken).ConfigureAwait(false)).Select(static u => u.Id).ToHashSet(StringComparer.Ordinal);
        var parsed = new List<NotificationRule>();
        for (var i = 0; i < body.Rules.Count; i++)
        {
            if (body.Rules[i] is not { } r)
            {
                errors.Add($"rules[{i}]", "A rule must be an object with event, to and channels.");
                continue;
            }

            var rule = new NotificationRule(r.Event ?? "", r.To ?? "", r.Channels ?? [], r.Team);
            foreach (var (field, message) in rule.Problems())
            {
                errors.Add($"rules[{i}].{field}", message);
            }

            if (r.Team is { } team && !teams.Contains(team))
            {
                errors.Add($"rules[{i}].team", $"No team '{team}' in this workspace.");
            }

            if (rule.To.StartsWith(NotificationRule.PersonPrefix, StringComparison.Ordinal) && !people.Contains(rule.To[NotificationRule.PersonPrefix.Length..]))
            {
                errors.Add($"rules[{i}].to", $"No person '{rule.To[NotificationRule.PersonPrefix.Length..]}' in this workspace.");
            }

            parsed.Add(rule with { Channels = [.. rule.Channels.Distinct(StringComparer.Ordinal)] });
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await rules.SetAsync(workspace, parsed, user.Actor(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RulesView(parsed, false));
    }

    private static async Task<Ok<RulesView>> ResetRulesAsync(ClaimsPrincipal user, NotificationRules rules, CancellationToken cancellationToken)
    {
        await rules.SetAsync(user.WorkspaceId(), null, user.Actor(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RulesView(NotificationRule.Defaults, true));
    }

    private static async Task<Results<Ok<PreferencesView>, ProblemHttpResult>> GetPreferencesAsync(
        string id, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken) =>
        await store.GetUserAsync(user.WorkspaceId(), id, cancellationToken).ConfigureAwait(false) is { } person
            ? TypedResults.Ok(PreferencesView.From(person.NotificationsOrDefault))
            : PersonNotFound(id);

    private static async Task<Results<Ok<PreferencesView>, ValidationProblem, ProblemHttpResult>> SetPreferencesAsync(
        string id, HttpRequest request, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PreferencesBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var workspace = user.WorkspaceId();
        if (await store.GetUserAsync(workspace, id, cancellationToken).ConfigureAwait(false) is null)
        {
            return PersonNotFound(id);
        }

        var errors = new ValidationErrors();
        var preferences = Preferences(body!, errors);
        if (preferences is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return await store.UpdateUserAsync(workspace, id, new UserChanges { Notifications = preferences }, user.Actor(), cancellationToken).ConfigureAwait(false) is { } updated
            ? TypedResults.Ok(PreferencesView.From(updated.NotificationsOrDefault))
            : PersonNotFound(id);
    }

    /// <summary>The preferences a body asks for, or null with the errors by field; the dashboard's page checks by the same rules.</summary>
    internal static NotificationPreferences? Preferences(PreferencesBody body, ValidationErrors errors)
    {
        if (body.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add("timeZone", $"'{zone}' is not a time zone; use an IANA name such as Europe/Berlin.");
        }

        QuietHours? quiet = null;
        if (body.QuietHours is { } q)
        {
            var from = ParseTime(q.From, "quietHours.from", errors);
            var to = ParseTime(q.To, "quietHours.to", errors);
            if (from is { } f && to is { } t)
            {
                if (f == t)
                {
                    errors.Add("quietHours.to", "Must differ from the start; leave quietHours out for none.");
                }

                quiet = new QuietHours(f, t);
            }
        }

        var digestAt = body.DigestAt is null ? NotificationPreferences.Default.DigestAt : ParseTime(body.DigestAt, "digestAt", errors);
        return errors.Any
            ? null
            : new NotificationPreferences
            {
                Email = body.Email ?? true,
                TimeZone = body.TimeZone,
                QuietHours = quiet,
                Digest = body.Digest ?? false,
                DigestAt = digestAt!.Value,
            };
    }

    private static TimeOnly? ParseTime(string? text, string field, ValidationErrors errors)
    {
        if (text is not null && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(field, "Required: a time of day as HH:mm (24-hour), e.g. 20:00.");
        return null;
    }

    private static ProblemHttpResult PersonNotFound(string id) =>
        TypedResults.Problem(detail: $"No person '{id}' in this workspace.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
