using System.CommandLine;
using Handoff.Core.Cases;
using Handoff.Server.Auth;
using Handoff.Storage;

namespace Handoff.Cli.Commands;

/// <summary><c>handoff keys create</c>: prints a new API key, alone on stdout, and stores only its hash.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        var workspace = CommonOptions.Workspace();
        var role = new Option<string>("--role") { Description = "What the key may do.", Required = true };
        role.AcceptOnlyFromAmong("agent", "reviewer", "admin");
        var name = new Option<string?>("--name") { Description = "A name to recognise the key by in the audit log." };
        var create = new Command("create", "Create an API key and print it (it is shown only this once).") { data, storeOption, workspace, role, name };
        create.SetAction(async (parse, cancellationToken) =>
        {
            using var store = await CommonOptions.OpenStoreAsync(parse.GetValue(data)!, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
            var secret = await CreateAsync(store, parse.GetValue(workspace)!, Enum.Parse<ApiKeyRole>(parse.GetValue(role)!, ignoreCase: true), parse.GetValue(name), cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(secret).ConfigureAwait(false);
            return 0;
        });
        return new Command("keys", "Manage API keys.") { create };
    }

    internal static Task<string> CreateAsync(IHandoffStore store, string workspaceName, ApiKeyRole role, string? name, CancellationToken cancellationToken) =>
        ApiKeys.IssueAsync(store, workspaceName, role, name, Actor.Cli(Environment.UserName), TimeProvider.System, cancellationToken);
}
