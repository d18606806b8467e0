using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Server.Api;
using Handoff.Server.Api.Contracts;
using Handoff.Storage;

namespace Handoff.Cli.Commands;

/// <summary>
/// <c>handoff teams add|list|set|remove</c>: teams straight in the store, checked by the same rules as
/// <c>POST /v1/teams</c> (<see cref="TeamValidator"/>), so a team the CLI accepts is one the API would.
/// </summary>
internal static class TeamsCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        var workspace = CommonOptions.Workspace();
        var name = new Argument<string>("name") { Description = "The team's id, a lowercase token such as 'billing'." };
        var settings = new Settings();

        var add = new Command("add", "Add a team.") { data, storeOption, workspace, name };
        settings.AddTo(add);
        add.SetAction((parse, cancellationToken) => WriteAsync(parse, data, storeOption, workspace, name, settings, adding: true, cancellationToken));

        var set = new Command("set", "Change a team; options not given stay as they are.") { data, storeOption, workspace, name };
        settings.AddTo(set);
        set.SetAction((parse, cancellationToken) => WriteAsync(parse, data, storeOption, workspace, name, settings, adding: false, cancellationToken));

        var list = new Command("list", "List the workspace's teams.") { data, storeOption, workspace };
        list.SetAction(async (parse, cancellationToken) =>
        {
            using var store = await CommonOptions.OpenStoreAsync(parse.GetValue(data)!, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
            if (await store.FindWorkspaceAsync(parse.GetValue(workspace)!, cancellationToken).ConfigureAwait(false) is not { } ws)
            {
                return 0;
            }

            var people = await store.ListUsersAsync(ws.Id, cancellationToken).ConfigureAwait(false);
            foreach (var team in await store.ListTeamsAsync(ws.Id, cancellationToken).ConfigureAwait(false))
            {
                await Console.Out.WriteLineAsync(Describe(team, people)).ConfigureAwait(false);
            }

            return 0;
        });

        var remove = new Command("remove", "Remove a team; its members lose it.") { data, storeOption, workspace, name };
        remove.SetAction(async (parse, cancellationToken) =>
        {
            using var store = await CommonOptions.OpenStoreAsync(parse.GetValue(data)!, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
            var ws = await store.EnsureWorkspaceAsync(parse.GetValue(workspace)!, Actor.Cli(Environment.UserName), cancellationToken).ConfigureAwait(false);
            var teamName = parse.GetValue(name)!;
            var result = await store.RemoveTeamAsync(ws.Id, teamName, Actor.Cli(Environment.UserName), cancellationToken).ConfigureAwait(false);
            return await ReportAsync("remove", teamName, result, $"Removed team {teamName}.").ConfigureAwait(false);
        });

        return new Command("teams", "Manage teams: who works which cases, how they are offered, and when.") { add, list, set, remove };
    }

    private static async Task<int> WriteAsync(
        ParseResult parse, Option<string> data, Option<string?> storeOption, Option<string> workspace, Argument<string> name, Settings settings, bool adding, CancellationToken cancellationToken)
    {
        var verb = adding ? "add" : "set";
        using var store = await CommonOptions.OpenStoreAsync(parse.GetValue(data)!, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
        var ws = await store.EnsureWorkspaceAsync(parse.GetValue(workspace)!, Actor.Cli(Environment.UserName), cancellationToken).ConfigureAwait(false);
        var teamName = parse.GetValue(name)!;
        Team? current = null;
        if (!adding && (current = await store.GetTeamAsync(ws.Id, teamName, cancellationToken).ConfigureAwait(false)) is null)
        {
            return await FailAsync(verb, $"no team '{teamName}' in workspace '{ws.Name}'.").ConfigureAwait(false);
        }

        var (body, problem) = await settings.ReadAsync(parse, store, ws.Id, current, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return await FailAsync(verb, problem).ConfigureAwait(false);
        }

        var (team, errors) = TeamValidator.Validate(body! with { Name = teamName }, ws.Id, adding ? null : teamName);
        if (team is null)
        {
            return await FailAsync(verb, string.Join("; ", errors.ToDictionary().Select(e => $"{OptionOf(e.Key)}: {string.Join(" ", e.Value)}"))).ConfigureAwait(false);
        }

        var result = adding
            ? await store.AddTeamAsync(team, Actor.Cli(Environment.UserName), cancellationToken).ConfigureAwait(false)
            : await store.UpdateTeamAsync(team, Actor.Cli(Environment.UserName), cancellationToken).ConfigureAwait(false);
        return await ReportAsync(verb, teamName, result, result.Team is { } written ? Describe(written, await store.ListUsersAsync(ws.Id, cancellationToken).ConfigureAwait(false)) : "")
            .ConfigureAwait(false);
    }

    private static async Task<int> ReportAsync(string verb, string teamName, TeamResult result, string done)
    {
        switch (result.Status)
        {
            case TeamResultStatus.Done:
                await Console.Out.WriteLineAsync(done).ConfigureAwait(false);
                return 0;
            case TeamResultStatus.NameTaken:
                return await FailAsync(verb, $"team '{teamName}' already exists; change it with `handoff teams set {teamName} …`.").ConfigureAwait(false);
            case TeamResultStatus.InUse:
                return await FailAsync(verb, $"team '{teamName}' is the overflow team of {string.Join(", ", result.OverflowFrom)}; change theirs first.").ConfigureAwait(false);
            default:
                var (field, message) = TeamErrors.Describe(result.Status);
                return await FailAsync(verb, $"{OptionOf(field)}: {message}").ConfigureAwait(false);
        }
    }

    private static async Task<int> FailAsync(string verb, string message)
    {
        await Console.Error.WriteLineAsync($"handoff teams {verb}: {message}").ConfigureAwait(false);
        return 1;
    }

    // The API's field names, as this command's options.
    private static string OptionOf(string field) => field switch
    {
        "displayName" => "--display-name",
        "mode" => "--mode",
        "acceptTimeout" => "--accept-timeout",
        "idleClaimTimeout" => "--idle-claim-timeout",
        "overflowTeam" => "--overflow",
        "supervisorId" => "--supervisor",
        "workingHours.timeZone" => "--time-zone",
        var f when f.StartsWith("workingHours.week", StringComparison.Ordinal) => "--hours",
        var f when f.StartsWith("workingHours.closures", StringComparison.Ordinal) => "--closed",
        _ => field,
    };

    private static string Describe(Team team, IReadOnlyList<User> people)
    {
        var members = people.Where(p => p.Teams.Contains(team.Name, StringComparer.Ordinal)).Select(p => p.Email).ToList();
        var hours = team.WorkingHours is { } h
            ? $"{h.TimeZone} {string.Join(", ", WeeklyHoursText.Format(h.Week))}"
                + (h.Closures.Count > 0 ? $", closed {string.Join(", ", h.Closures.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}" : "")
            : "24/7";
        return string.Create(CultureInfo.InvariantCulture,
            $"{team.Name}\t{team.DisplayName}\t{team.Mode.ToString().ToLowerInvariant()}\taccept {team.AcceptTimeout.TotalSeconds:0.###}s\t{hours}"
            + $"{(team.OverflowTeam is { } o ? $"\toverflow {o}" : "")}{(team.SupervisorId is { } s ? $"\tsupervisor {people.FirstOrDefault(p => p.Id == s)?.Email ?? s}" : "")}"
            + $"\tmembers {(members.Count > 0 ? string.Join(", ", members) : "none")}");
    }

    /// <summary>The options <c>add</c> and <c>set</c> share, and how they become a <see cref="TeamBody"/>.</summary>
    private sealed class Settings
    {
        private readonly Option<string?> _displayName = new("--display-name") { Description = "What people read (default: the name)." };
        private readonly Option<string?> _mode = new("--mode") { Description = "push (offer each case to the best member) or pull (members take the next case)." };
        private readonly Option<string?> _accept = new("--accept-timeout") { Description = "How long an offer waits for acceptance: 30s, 1m (default 30s)." };
        private readonly Option<string?> _idle = new("--idle-claim-timeout") { Description = "How long a claim may sit idle before the case goes back: 15m; 'default' for the server's." };
        private readonly Option<string?> _overflow = new("--overflow") { Description = "The team that takes what this one cannot; 'none' to clear." };
        private readonly Option<string?> _supervisor = new("--supervisor") { Description = "The supervisor's email; 'none' to clear." };
        private readonly Option<string?> _zone = new("--time-zone") { Description = "IANA time zone of the working hours, e.g. Europe/Berlin." };
        private readonly Option<string[]> _hours = new("--hours") { Description = "Opening hours, e.g. 'mon-fri 09:00-17:00' (repeat for several); 'always' for 24/7." };
        private readonly Option<string[]> _closed = new("--closed") { Description = "A closed day, e.g. 2026-12-25 (repeat for several)." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _displayName, _mode, _accept, _idle, _overflow, _supervisor, _zone, _hours, _closed })
            {
                command.Options.Add(option);
            }
        }

        /// <summary>The team's body: <paramref name="current"/>'s settings (for set) with the given options over them.</summary>
        public async Task<(TeamBody? Body, string? Problem)> ReadAsync(ParseResult parse, IHandoffStore store, string workspaceId, Team? current, CancellationToken cancellationToken)
        {
            var supervisorId = current?.SupervisorId;
            if (parse.GetValue(_supervisor) is { } supervisor)
            {
                if (supervisor == "none")
                {
                    supervisorId = null;
                }
                else if (await store.FindUserByEmailAsync(supervisor, cancellationToken).ConfigureAwait(false) is { } person && person.WorkspaceId == workspaceId)
                {
                    supervisorId = person.Id;
                }
                else
                {
                    return (null, $"--supervisor: nobody with the email '{supervisor}' in this workspace.");
                }
            }

            var hours = current?.WorkingHours is { } h
                ? new WorkingHoursBody(h.TimeZone, [.. WorkingHoursView.From(h).Week.Select(w => new WeeklyHoursBody(WeeklyHoursText.Day(w.Day), w.Opens, w.Closes))], [.. WorkingHoursView.From(h).Closures])
                : null;
            var hoursGiven = parse.GetValue(_hours) ?? [];
            var closedGiven = parse.GetValue(_closed) ?? [];
            var zone = parse.GetValue(_zone);
            if (hoursGiven is ["always"])
            {
                hours = null;
            }
            else if (hoursGiven.Length > 0 || closedGiven.Length > 0 || zone is not null)
            {
                var week = hours?.Week?.ToList() ?? [];
                if (hoursGiven.Length > 0)
                {
                    week = [];
                    foreach (var spec in hoursGiven)
                    {
                        if (WeeklyHoursText.Parse(spec) is not { } openings)
                        {
                            return (null, $"--hours: '{spec}' is not like 'mon-fri 09:00-17:00' or 'sat 10:00-14:00'.");
                        }

                        week.AddRange(openings);
                    }
                }

                hours = new WorkingHoursBody(zone ?? hours?.TimeZone, week, closedGiven.Length > 0 ? closedGiven : hours?.Closures);
            }

            var accept = parse.GetValue(_accept) is { } a ? JsonSerializer.SerializeToElement(a) : current is null ? default : JsonSerializer.SerializeToElement(current.AcceptTimeout.TotalSeconds);
            var idle = parse.GetValue(_idle) switch
            {
                "default" => default,
                { } i => JsonSerializer.SerializeToElement(i),
                null => current?.IdleClaimTimeout is { } t ? JsonSerializer.SerializeToElement(t.TotalSeconds) : default,
            };
            var overflow = parse.GetValue(_overflow) switch
            {
                "none" => null,
                { } o => o,
                null => current?.OverflowTeam,
            };
            return (new TeamBody(
                null,
                parse.GetValue(_displayName) ?? current?.DisplayName,
                parse.GetValue(_mode) ?? current?.Mode.ToString().ToLowerInvariant(),
                hours,
                accept,
                idle,
                overflow,
                supervisorId), null);
        }
    }
}
