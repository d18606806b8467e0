using System.Text.Json;
using Handoff.Cli.Commands;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Server;
using Handoff.Server.Accounts;
using Handoff.Server.Api;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Cases;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Cli.Demo;

/// <summary>
/// <c>serve --demo</c>: on the first run, a key per role (kept in <c>demo-keys.json</c> beside the database, so
/// later runs show the same ones) and a handful of cases through the real submission path.
/// </summary>
internal static class DemoSeeder
{
    public static async Task SeedAsync(IServiceProvider services, HandoffServerOptions options, string url, CancellationToken cancellationToken)
    {
        var keysFile = Path.Combine(options.DataDirectory, "demo-keys.json");
        Dictionary<string, string> keys;
        if (File.Exists(keysFile))
        {
            keys = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(keysFile, cancellationToken).ConfigureAwait(false))!;
        }
        else
        {
            var store = services.GetRequiredService<IHandoffStore>();
            keys = [];
            foreach (var role in Enum.GetValues<ApiKeyRole>())
            {
                keys[role.ToString().ToLowerInvariant()] = await KeysCommand.CreateAsync(store, options.DefaultWorkspace, role, $"demo {role.ToString().ToLowerInvariant()}", cancellationToken).ConfigureAwait(false);
            }

            await File.WriteAllTextAsync(keysFile, JsonSerializer.Serialize(keys), cancellationToken).ConfigureAwait(false);
            await AddPeopleAsync(services, options, cancellationToken).ConfigureAwait(false);
            await SubmitCasesAsync(services, options, cancellationToken).ConfigureAwait(false);
        }

        Console.WriteLine($"""

            Handoff demo: {url}
              API reference   {url}/scalar
              agent key       {keys["agent"]}
              reviewer key    {keys["reviewer"]}
              admin key       {keys["admin"]}
            Dashboard sign-in ({url}/signin):
              admin           {AdminEmail} / {DemoPassword}
              reviewer        {ReviewerEmail} / {DemoPassword}
            Try: curl -H "Authorization: Bearer {keys["reviewer"]}" "{url}/v1/cases?status=pending"

            """);
    }

    // Demo accounts on a demo database only: the password is printed on the console, which is the point of a demo.
    private const string AdminEmail = "admin@demo.handoff";
    private const string ReviewerEmail = "reviewer@demo.handoff";
    private const string DemoPassword = "handoff-demo";

    private static async Task AddPeopleAsync(IServiceProvider services, HandoffServerOptions options, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IHandoffStore>();
        var accounts = services.GetRequiredService<AccountService>();
        var workspace = (await store.FindWorkspaceAsync(options.DefaultWorkspace, cancellationToken).ConfigureAwait(false))!;
        var demo = Actor.Cli("demo");
        await accounts.AddAsync(new NewAccount(workspace.Id, AdminEmail, "Alex Admin", UserRole.Admin, [], DemoPassword), demo, first: false, cancellationToken).ConfigureAwait(false);
        await accounts.AddAsync(new NewAccount(workspace.Id, ReviewerEmail, "Riley Reviewer", UserRole.Reviewer, ["support", "sales", "specialists"], DemoPassword), demo, first: false, cancellationToken).ConfigureAwait(false);
    }

    private static async Task SubmitCasesAsync(IServiceProvider services, HandoffServerOptions options, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IHandoffStore>();
        var cases = services.GetRequiredService<CaseService>();
        var workspace = (await store.FindWorkspaceAsync(options.DefaultWorkspace, cancellationToken).ConfigureAwait(false))!;
        var agent = new Actor("agent", "demo", "Demo support bot");
        foreach (var json in DemoCases.All)
        {
            var request = JsonSerializer.Deserialize<SubmitCaseRequest>(json, HandoffJson.Options)!;
            var submitted = SubmitCaseValidator.Validate(request, new ValidationErrors())
                ?? throw new InvalidOperationException("A demo case does not validate: " + json);
            await cases.SubmitAsync(workspace.Id, submitted, null, agent, cancellationToken).ConfigureAwait(false);
        }
    }
}
