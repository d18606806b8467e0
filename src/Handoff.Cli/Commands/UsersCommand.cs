using System.CommandLine;
using Handoff.Core.Cases;
using Handoff.Server.Accounts;
using Handoff.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Handoff.Cli.Commands;

/// <summary><c>handoff users add</c>: a dashboard account, with the password read from standard input (never an argument).</summary>
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
        return new Command("users", "Manage dashboard accounts.") { add };
    }
}
