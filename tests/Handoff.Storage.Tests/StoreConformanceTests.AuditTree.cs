using Handoff.Core.Audit;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task AuditTree_NodesAreReadByLevelAndRange_InIndexOrder_AndSizedPerLevel()
    {
        var store = await CreateStoreAsync();
        Assert.Empty(await store.GetAuditTreeSizesAsync(Ct));

        await store.AddAuditTreeAsync([Node(8, 2), Node(8, 0), Node(8, 1), Node(16, 0), Node(8, 4)], Ct);
        await store.AddAuditTreeAsync([], Ct);

        Assert.Equal([Node(8, 0), Node(8, 1), Node(8, 2)], await store.ReadAuditTreeAsync(8, 0, 3, Ct));
        Assert.Equal([Node(8, 2), Node(8, 4)], await store.ReadAuditTreeAsync(8, 2, 10, Ct));
        Assert.Equal([Node(16, 0)], await store.ReadAuditTreeAsync(16, 0, 256, Ct));
        Assert.Empty(await store.ReadAuditTreeAsync(24, 0, 256, Ct));
        Assert.Empty(await store.ReadAuditTreeAsync(8, 0, 0, Ct));
        Assert.Equal(new Dictionary<int, long> { [8] = 5, [16] = 1 }, await store.GetAuditTreeSizesAsync(Ct));
    }

    [Fact]
    public virtual async Task AuditTree_ANodeAddedTwice_KeepsItsFirstHash()
    {
        // Every node computes the same hash for a node; a second, different one is never a correction.
        var store = await CreateStoreAsync();
        await store.AddAuditTreeAsync([Node(8, 0)], Ct);

        await store.AddAuditTreeAsync([Node(8, 0) with { Hash = new string('f', 64) }, Node(8, 1)], Ct);

        Assert.Equal([Node(8, 0), Node(8, 1)], await store.ReadAuditTreeAsync(8, 0, 5, Ct));
    }

    [Fact]
    public virtual async Task AuditTree_IsAppendOnly()
    {
        var store = await CreateStoreAsync();
        await store.AddAuditTreeAsync([Node(8, 0)], Ct);

        Assert.ThrowsAny<Exception>(() => Tamper("UPDATE audit_tree SET hash = 'forged'"));
        Assert.ThrowsAny<Exception>(() => Tamper("DELETE FROM audit_tree"));
        Assert.Equal([Node(8, 0)], await store.ReadAuditTreeAsync(8, 0, 5, Ct));
    }

    [Fact]
    public virtual async Task AuditTree_BadNodes_AreRefusedBeforeAnyIsStored()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AddAuditTreeAsync([Node(8, 0), Node(-1, 0)], Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AddAuditTreeAsync([Node(8, -3)], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAuditTreeAsync([Node(8, 0) with { Hash = "" }], Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ReadAuditTreeAsync(8, -1, 5, Ct));

        Assert.Empty(await store.GetAuditTreeSizesAsync(Ct));
    }

    private static AuditTreeNode Node(int level, long index) =>
        new(level, index, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes((level * 1000) + index))));
}
