using System.Text.Json;
using Handoff.Cli.Commands;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Samples.SupportAgent;
using Handoff.Server;
using Handoff.Server.Accounts;
using Handoff.Server.Auth;
using Handoff.Server.Policies;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Cli.Demo;

/// <summary>
/// <c>serve --demo</c>: on the first run, a key per role (kept in <c>demo-keys.json</c> beside the database, so later
/// runs show the same ones), dashboard accounts, the demo shop's policy and a history of decisions (<see cref="DemoHistory"/>). The cases come from the sample
/// support agent, which <see cref="DemoAgent"/> runs once the server listens.
/// </summary>
internal static class DemoSeeder
{
    // Demo accounts on a demo database only: the password is printed on the console, which is the point of a demo.
    private const string AdminEmail = "admin@demo.handoff";
    private const string ReviewerEmail = "reviewer@demo.handoff";
    private const string SecondReviewerEmail = "sam@demo.handoff";
    private const string SupervisorEmail = "lead@demo.handoff";
    private const string DemoPassword = "handoff-demo";

    private static async Task ProfileAsync(IHandoffStore store, string workspaceId, string email, UserChanges changes, Actor actor, CancellationToken cancellationToken)
    {
        if (await store.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false) is { } user)
        {
            await store.UpdateUserAsync(workspaceId, user.Id, changes, actor, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The demo's keys by role (<c>agent</c>, <c>reviewer</c>, <c>admin</c>), and whether this run made them.</summary>
    public static async Task<(IReadOnlyDictionary<string, string> Keys, bool FirstRun)> SeedAsync(IServiceProvider services, HandoffServerOptions options, CancellationToken cancellationToken)
    {
        var keysFile = Path.Combine(options.DataDirectory, "demo-keys.json");
        var store = services.GetRequiredService<IHandoffStore>();
        if (File.Exists(keysFile))
        {
            var saved = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(keysFile, cancellationToken).ConfigureAwait(false));

            // Keys of another database (this one was deleted or replaced, the file kept) would be printed dead: seed anew.
            if (saved?.GetValueOrDefault("agent") is { } agentKey
                && await store.FindApiKeyByHashAsync(ApiKeys.Hash(agentKey), cancellationToken).ConfigureAwait(false) is not null)
            {
                return (saved, false);
            }
        }

        var workspace = (await store.FindWorkspaceAsync(options.DefaultWorkspace, cancellationToken).ConfigureAwait(false))!;
        var keys = new Dictionary<string, string>();
        foreach (var role in Enum.GetValues<ApiKeyRole>())
        {
            var name = role.ToString().ToLowerInvariant();
            keys[name] = await KeysCommand.CreateAsync(store, options.DefaultWorkspace, role, role == ApiKeyRole.Agent ? DemoAgent.KeyName : $"demo {name}", cancellationToken).ConfigureAwait(false);
        }

        var demo = Actor.Cli("demo");
        var accounts = services.GetRequiredService<AccountService>();
        await accounts.AddAsync(new NewAccount(workspace.Id, AdminEmail, "Alex Admin", UserRole.Admin, [], DemoPassword), demo, first: false, cancellationToken).ConfigureAwait(false);
        // The teams the demo policy routes to. Support and sales push each case to the best available member (an
        // offer rings in their dashboard); the specialists take cases themselves.
        foreach (var (name, display, mode) in new[] { ("support", "Support", AssignmentMode.Push), ("sales", "Sales", AssignmentMode.Push), ("specialists", "Specialists", AssignmentMode.Pull) })
        {
            await store.AddTeamAsync(new Team { WorkspaceId = workspace.Id, Name = name, DisplayName = display, Mode = mode, AcceptTimeout = TimeSpan.FromSeconds(45) }, demo, cancellationToken).ConfigureAwait(false);
        }

        await accounts.AddAsync(new NewAccount(workspace.Id, ReviewerEmail, "Riley Reviewer", UserRole.Reviewer, ["support", "sales", "specialists"], DemoPassword), demo, first: false, cancellationToken).ConfigureAwait(false);
        await accounts.AddAsync(new NewAccount(workspace.Id, SecondReviewerEmail, "Sam Support", UserRole.Reviewer, ["support"], DemoPassword), demo, first: false, cancellationToken).ConfigureAwait(false);
        await accounts.AddAsync(new NewAccount(workspace.Id, SupervisorEmail, "Lena Lead", UserRole.Supervisor, ["support", "sales"], DemoPassword), demo, first: false, cancellationToken).ConfigureAwait(false);
        // Profiles that make routing visible: only Riley handles refunds, Sam speaks German, Lena takes little.
        await ProfileAsync(store, workspace.Id, ReviewerEmail, new UserChanges { Skills = ["refunds", "billing"], Languages = ["en"], Capacity = 5 }, demo, cancellationToken).ConfigureAwait(false);
        await ProfileAsync(store, workspace.Id, SecondReviewerEmail, new UserChanges { Skills = ["accounts"], Languages = ["en", "de"], Capacity = 3 }, demo, cancellationToken).ConfigureAwait(false);
        await ProfileAsync(store, workspace.Id, SupervisorEmail, new UserChanges { Skills = ["refunds", "accounts", "billing"], Languages = ["en"], Capacity = 2 }, demo, cancellationToken).ConfigureAwait(false);

        // A --policy given on the command line was published on start and stays; otherwise the shop's own rules.
        if (options.PolicyFile is null)
        {
            var (_, problems, _) = await services.GetRequiredService<PolicyService>().PublishAsync(workspace.Id, SupportDemo.PolicyYaml, demo, cancellationToken).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("The demo policy has problems: " + string.Join("; ", problems));
            }
        }

        if (await store.FindUserByEmailAsync(ReviewerEmail, cancellationToken).ConfigureAwait(false) is { } riley)
        {
            await DemoHistory.SeedAsync(services, workspace.Id, new Actor(Actor.UserKind, riley.Id, riley.Name), cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(keysFile, JsonSerializer.Serialize(keys), cancellationToken).ConfigureAwait(false);
        return (keys, true);
    }

    public static void PrintWelcome(Uri address, IReadOnlyDictionary<string, string> keys)
    {
        var url = address.ToString().TrimEnd('/');
        Console.WriteLine($"""

            Handoff demo: {url}
              API reference   {url}/scalar
              agent key       {keys["agent"]}
              reviewer key    {keys["reviewer"]}
              admin key       {keys["admin"]}
            Dashboard sign-in ({url}/signin):
              admin           {AdminEmail} / {DemoPassword}
              reviewer        {ReviewerEmail} / {DemoPassword}   (refunds, billing; support, sales, specialists)
              second reviewer {SecondReviewerEmail} / {DemoPassword}   (accounts, German; support)
              supervisor      {SupervisorEmail} / {DemoPassword}   (support, sales)
            Support and sales push cases: sign in and stay online, and offers ring in your dashboard (y accepts,
            n declines). A customer asking for a person rings live; deleting an account needs two approvals.
            A sample support agent starts answering customers once it has trained (its log lines say so); the cases
            it may not settle alone appear in the inbox.
            Try: curl -H "Authorization: Bearer {keys["reviewer"]}" "{url}/v1/cases?status=pending"

            """);
    }
}
