using Handoff.Core.Routing;
using Handoff.Server.Api.Contracts;
using Handoff.Storage;

namespace Handoff.Server.Api;

/// <summary>Turns a <see cref="PersonPatchBody"/> into <see cref="UserChanges"/>, naming each field that is wrong.</summary>
internal static class PersonPatchValidator
{
    public const int MaxItems = 50;

    /// <param name="teams">The workspace's team names: a person's teams must be among them.</param>
    public static (UserChanges? Changes, ValidationErrors Errors) Validate(PersonPatchBody body, IReadOnlySet<string> teams)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(teams);
        var errors = new ValidationErrors();
        if (body is { Skills: null, Languages: null, Capacity: null, Teams: null })
        {
            errors.Add("body", "Give at least one of skills, languages, capacity, teams.");
            return (null, errors);
        }

        var skills = Names(body.Skills, "skills", RoutingNames.IsToken, "a lowercase token such as 'refunds' or 'tier-2'", errors);
        var languages = Names(body.Languages, "languages", RoutingNames.IsLanguage, "a lowercase BCP 47 language tag such as 'en' or 'pt-br'", errors);
        var teamNames = Names(body.Teams, "teams", RoutingNames.IsToken, "the name of a team of the workspace", errors);
        for (var i = 0; teamNames is not null && i < teamNames.Count; i++)
        {
            if (!teams.Contains(teamNames[i]))
            {
                errors.Add($"teams[{i}]", $"No team '{teamNames[i]}' in this workspace; add it first (POST /v1/teams).");
            }
        }

        if (body.Capacity is < 1 or > User.MaxCapacity)
        {
            errors.Add("capacity", $"Must be 1 to {User.MaxCapacity}: how much open work the person takes at once (a queued case counts 1).");
        }

        return errors.Any
            ? (null, errors)
            : (new UserChanges { Skills = skills, Languages = languages, Capacity = body.Capacity, Teams = teamNames }, errors);
    }

    private static List<string>? Names(IReadOnlyList<string?>? given, string field, Func<string?, bool> valid, string what, ValidationErrors errors)
    {
        if (given is null)
        {
            return null;
        }

        if (given.Count > MaxItems)
        {
            errors.Add(field, $"At most {MaxItems}.");
            return null;
        }

        var names = new List<string>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            if (!valid(given[i]))
            {
                errors.Add($"{field}[{i}]", $"'{given[i]}' is not {what}.");
            }
            else if (names.Contains(given[i]!, StringComparer.Ordinal))
            {
                errors.Add($"{field}[{i}]", $"'{given[i]}' is listed twice.");
            }
            else
            {
                names.Add(given[i]!);
            }
        }

        return names;
    }
}
