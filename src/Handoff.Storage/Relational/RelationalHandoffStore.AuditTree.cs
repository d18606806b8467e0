using Handoff.Core.Audit;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <inheritdoc />
    /// <remarks>At most 10,000 nodes whatever <paramref name="count"/> asks.</remarks>
    public async Task<IReadOnlyList<AuditTreeNode>> ReadAuditTreeAsync(int level, long fromIndex, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfNegative(fromIndex);
        if (count <= 0)
        {
            return [];
        }

        return await QueryAsync(
            "SELECT level, idx, hash FROM audit_tree WHERE level = @level AND idx >= @from AND idx < @to ORDER BY idx",
            static reader => new AuditTreeNode(reader.GetInt32(0), reader.GetInt64(1), reader.GetString(2)), cancellationToken,
            ("@level", level), ("@from", fromIndex), ("@to", fromIndex + Math.Min(count, MaxAuditPage))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One short write scoped to the tree (<see cref="WriteScope.AuditTree"/>): no submission, claim or decision waits for it.</remarks>
    public async Task AddAuditTreeAsync(IReadOnlyList<AuditTreeNode> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var node in nodes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(node.Level, nameof(nodes));
            ArgumentOutOfRangeException.ThrowIfNegative(node.Index, nameof(nodes));
            ArgumentException.ThrowIfNullOrEmpty(node.Hash, nameof(nodes));
        }

        if (nodes.Count == 0)
        {
            return;
        }

        await _writer.RunAsync(WriteScope.Of(WriteScope.AuditTree), w =>
        {
            foreach (var node in nodes)
            {
                w.Later("INSERT INTO audit_tree (level, idx, hash) VALUES (@level, @idx, @hash) ON CONFLICT (level, idx) DO NOTHING")
                    .Bind("@level", node.Level).Bind("@idx", node.Index).Bind("@hash", node.Hash);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<int, long>> GetAuditTreeSizesAsync(CancellationToken cancellationToken = default)
    {
        var sizes = await QueryAsync(
            "SELECT level, max(idx) + 1 FROM audit_tree GROUP BY level",
            static reader => (Level: reader.GetInt32(0), Size: reader.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        return sizes.ToDictionary(static s => s.Level, static s => s.Size);
    }
}
