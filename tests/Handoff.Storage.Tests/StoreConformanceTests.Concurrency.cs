using Handoff.Core.Audit;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task ConcurrentWrites_WhenSomeFailInsideTheStore_TheOthersCommitAndTheChainVerifies()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "taken", ApiKeyRole.Agent, new string('0', 64), Start), Alice, Ct);

        // Every third key reuses a hash the store already has, which its unique index refuses in the middle of the
        // write. Sent all at once, failing and valid writes land in the store's write path together.
        var attempts = Enumerable.Range(1, 40).Select(i => (Hash: i % 3 == 0 ? new string('0', 64) : i.ToString("x64"), Fails: i % 3 == 0)).ToList();
        var results = await Task.WhenAll(attempts.Select(async a =>
        {
            try
            {
                await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "k", ApiKeyRole.Agent, a.Hash, Start), Alice, Ct);
                return (a.Hash, a.Fails, Failed: false);
            }
#pragma warning disable CA1031 // Each backend reports a duplicate in its own exception type; that it fails is the contract.
            catch (Exception)
#pragma warning restore CA1031
            {
                return (a.Hash, a.Fails, Failed: true);
            }
        }));

        Assert.All(results, r => Assert.Equal(r.Fails, r.Failed));
        foreach (var (hash, _, _) in results.Where(r => !r.Fails))
        {
            Assert.NotNull(await store.FindApiKeyByHashAsync(hash, Ct));
        }

        var audit = await store.ReadSealedAuditAsync(0, 10_000, Ct);
        Assert.True(AuditChain.Verify(audit).Intact);
        Assert.Equal(1 + results.Count(r => !r.Fails), audit.Count(e => e.Action == "key.created"));
    }
}
