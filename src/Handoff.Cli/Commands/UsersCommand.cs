using System.CommandLine;
using Handoff.Core.Cases;
using Handoff.Server.Accounts;
using Handoff.Server.Api;
using Handoff.Server.Api.Contracts;
using Handoff.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Handoff.Cli.Commands;

/// <summary>
/// <c>handoff users add</c>: a dashboard account, with the password read from standard input (never an argument);
/// <c>handoff users set</c>: a person's routing profile (skills, languages, capacity, teams), checked as
/// <c>PATCH /v1/people/{id}</c> checks it.
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        var workspace = CommonOptions.Workspace();
        var email = new Option<string>("--email") { Description = "The address the person signs in with.", Required = true };
        var name = new Option<string>("--name") { Description = "The person's name, as others see it.", Required = true };
        var role = new Option<string>("--role") { Description = "What the person may do.", Required = true };
        role.AcceptOnlyFromAmong("reviewer", "supervisor", "admin");
        var teams = new Option<string[]>("--team") { Description = "A team whose cases the person works (repeat for several).", AllowMultipleArgumentsPerToken = false };
        var add = new Command("add", "Add a dashboard account; the password is read from standard input.") { data, storeOption, workspace, email, name, role, teams };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var password = (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.TrimEnd('\r');
            if (AccountService.ValidatePassword(password) is { } weak)
            {
                await Console.Error.WriteLineAsync($"handoff users add: {weak} Give it on standard input, e.g. `read -s P && echo \"$P\" | handoff users add …`.").ConfigureAwait(false);
                return 1;
            }

            using var store = await CommonOptions.OpenStoreAsync(parse.GetValue(data)!, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
            var ws = await store.EnsureWorkspaceAsync(parse.GetValue(workspace)!, Actor.Cli(Environment.UserName), cancellationToken).ConfigureAwait(false);
            var known = (await store.ListTeamsAsync(ws.Id, cancellationToken).ConfigureAwait(false)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            if ((parse.GetValue(teams) ?? []).FirstOrDefault(t => !known.Contains(t)) is { } unknown)
            {
                await Console.Error.WriteLineAsync($"handoff users add: --team: no team '{unknown}' in workspace '{ws.Name}'; add it first with `handoff teams add {unknown}`.").ConfigureAwait(false);
                return 1;
            }

            var accounts = new AccountService(store, NullLogger<AccountService>.Instance);
            var account = new NewAccount(ws.Id, parse.GetValue(email)!, parse.GetValue(name)!,
                Enum.Parse<UserRole>(parse.GetValue(role)!, ignoreCase: true), parse.GetValue(teams) ?? [], password!);
            var (user, problem) = await accounts.AddAsync(account, Actor.Cli(Environment.UserName), first: false, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                await Console.Error.WriteLineAsync($"handoff users add: {problem}").ConfigureAwait(false);
                return 1;
            }

            await Console.Out.WriteLineAsync($"Added {user.Email} ({DashboardAuth.RoleName(user.Role)}{(user.Teams.Count > 0 ? ", teams " + string.Join(", ", user.Teams) : "")}).").ConfigureAwait(false);
            return 0;
        });
        return new Command("users", "Manage dashboard accounts.") { add, Set(data, storeOption, workspace) };
    }

    private static Command Set(Option<string> data, Option<string?> storeOption, Option<string> workspace)
    {
        var email = new Option<string>("--email") { Description = "The person's sign-in address.", Required = true };
        var skills = new Option<string?>("--skills") { Description = "Comma-separated skills, lowercase tokens: refunds,tier-2 (\"\" for none)." };
        var languages = new Option<string?>("--languages") { Description = "Comma-separated languages: en,de,pt-br (\"\" for none)." };
        var capacity = new Option<int?>("--capacity") { Description = $"How much open work at once, 1..{User.MaxCapacity} (a queued case counts 1)." };
        var teams = new Option<string?>("--teams") { Description = "Comma-separated teams, replacing the person's list (\"\" for none)." };
        var set = new Command("set", "Change a person's skills, languages, capacity or teams.") { data, storeOption, workspace, email, skills, languages, capacity, teams };
        set.SetAction(async (parse, cancellationToken) =>
        {
            using var store = await CommonOptions.OpenStoreAsync(parse.GetValue(data)!, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
            var ws = await store.FindWorkspaceAsync(parse.GetValue(workspace)!, cancellationToken).ConfigureAwait(false);
            var address = parse.GetValue(email)!;
            if (ws is null || await store.FindUserByEmailAsync(address, cancellationToken).ConfigureAwait(false) is not { } person || person.WorkspaceId != ws.Id)
            {
                await Console.Error.WriteLineAsync($"handoff users set: nobody with the email '{address}' in workspace '{parse.GetValue(workspace)}'.").ConfigureAwait(false);
                return 1;
            }

            var known = (await store.ListTeamsAsync(ws.Id, cancellationToken).ConfigureAwait(false)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            var body = new PersonPatchBody(List(parse.GetValue(skills)), List(parse.GetValue(languages)), parse.GetValue(capacity), List(parse.GetValue(teams)));
            var (changes, errors) = PersonPatchValidator.Validate(body, known);
            if (changes is null)
            {
                var problems = errors.ToDictionary().Select(e => $"{(e.Key == "body" ? "" : "--" + e.Key.Split('[')[0] + ": ")}{string.Join(" ", e.Value)}");
                await Console.Error.WriteLineAsync($"handoff users set: {string.Join("; ", problems)}").ConfigureAwait(false);
                return 1;
            }

            var user = await store.UpdateUserAsync(ws.Id, person.Id, changes, Actor.Cli(Environment.UserName), cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(
                $"{user!.Email}: skills {Join(user.Skills)}; languages {Join(user.Languages)}; capacity {user.Capacity}; teams {Join(user.Teams)}.").ConfigureAwait(false);
            return 0;
        });
        return set;
    }

    // "" clears the list; absent leaves it alone.
    private static List<string?>? List(string? commaSeparated) =>
        commaSeparated is null ? null : [.. commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Join(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(",", items);
}
