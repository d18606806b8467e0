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
