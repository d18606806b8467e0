using System.Reflection;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Server.Policies;
using Handoff.Storage;
using Handoff.Storage.Sqlite;

namespace Handoff.Server.Tests.Policies;

public sealed class PolicyServiceTests
{
    [Fact]
    public async Task GetAsync_RacingWithStopAutonomy_NeverCachesTheOldState()
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-tests", Guid.NewGuid().ToString("N"));
        using var real = new SqliteHandoffStore(Path.Combine(directory, "handoff.db"), TimeProvider.System);
        await real.MigrateAsync(TestContext.Current.CancellationToken);
        var workspace = await real.EnsureWorkspaceAsync("default", Actor.System, TestContext.Current.CancellationToken);
        await real.PublishPolicyAsync(workspace.Id, BuiltInPolicy.Yaml, Actor.System, TestContext.Current.CancellationToken);
        var gate = new TaskCompletionSource();
        var store = GatedStore.Wrap(real, gate.Task);
        var service = new PolicyService(store, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PolicyService>.Instance);

        // A load starts with autonomy on and stalls inside the store; meanwhile an admin stops autonomy.
        var racing = service.GetAsync(workspace.Id, TestContext.Current.CancellationToken).AsTask();
        await service.SetAutonomyAsync(workspace.Id, false, "incident", Actor.System, TestContext.Current.CancellationToken);
        gate.SetResult();
        await racing;

        var after = await service.GetAsync(workspace.Id, TestContext.Current.CancellationToken);
        Assert.False(after.AutonomyEnabled);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task GetAsync_WhenTheStoredPolicyNoLongerCompiles_SendsEveryCaseToAPersonNamingTheVersion()
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-tests", Guid.NewGuid().ToString("N"));
        using var store = new SqliteHandoffStore(Path.Combine(directory, "handoff.db"), TimeProvider.System);
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        var workspace = await store.EnsureWorkspaceAsync("default", Actor.System, TestContext.Current.CancellationToken);
        // Published (straight into the store) before 'matches' refused lookarounds; it would have auto-approved.
        await store.PublishPolicyAsync(
            workspace.Id,
            "rules:\n  - id: no-lawyer\n    when: { text: { matches: 'law(?!n)' } }\n    outcome: block\n    reason: \"No \\\"legal\\\" talk.\"\n",
            Actor.System,
            TestContext.Current.CancellationToken);
        var service = new PolicyService(store, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PolicyService>.Instance);

        var current = await service.GetAsync(workspace.Id, TestContext.Current.CancellationToken);
        var evaluation = current.Policy.Evaluate(new CaseContent { Kind = CaseKind.Reply, Proposal = new Proposal("Hello", null, 0.99) });

        Assert.Equal(1, current.Policy.Version);
        Assert.Equal(Outcome.Escalate, evaluation.Outcome);
        var reason = Assert.Single(evaluation.Reasons);
        Assert.Equal("policy-does-not-compile", reason.Rule);
        Assert.StartsWith("Policy version 1 no longer compiles on this server (3:", reason.Text, StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    // Holds GetPolicyAsync until the gate opens; everything else goes straight through.
    public class GatedStore : DispatchProxy
    {
        private IHandoffStore _inner = null!;
        private Task _gate = Task.CompletedTask;

        public static IHandoffStore Wrap(IHandoffStore inner, Task gate)
        {
            var proxy = Create<IHandoffStore, GatedStore>();
            var gated = (GatedStore)(object)proxy;
            gated._inner = inner;
            gated._gate = gate;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IHandoffStore.GetPolicyAsync))
            {
                return GatedAsync(targetMethod, args);
            }

            return targetMethod.Invoke(_inner, args);
        }

        private async Task<StoredPolicy?> GatedAsync(MethodInfo method, object?[]? args)
        {
            await _gate;
            return await (Task<StoredPolicy?>)method.Invoke(_inner, args)!;
        }
    }
}
