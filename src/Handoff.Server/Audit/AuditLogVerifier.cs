using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Storage;

namespace Handoff.Server.Audit;

/// <summary>
/// Walks the whole audit chain of a store page by page (what <c>handoff audit verify</c> and the dashboard's audit
/// page report). Each page is checked where the one before stopped, so memory stays one page however long the log
/// (plus a few fields per case when the cases are checked too).
/// </summary>
internal static class AuditLogVerifier
{
    private const int Page = 5000;

    /// <summary>
    /// The chain's verification and its last entry (null when the log is empty). When the chain is broken, or an
    /// entry cannot be read, <see cref="AuditVerification.Checked"/> counts the good entries from the start, and the
    /// last entry is the last good one. Given <paramref name="after"/>, an entry already verified, only the entries
    /// after it are read and checked.
    /// </summary>
    /// <remarks>Given <paramref name="tree"/> (fed up to <paramref name="after"/>), every good entry is fed to it too.</remarks>
    public static async Task<(AuditVerification Result, AuditEntry? Last)> VerifyAsync(
        IHandoffStore store, CancellationToken cancellationToken, AuditEntry? after = null, AuditTreeCheck? tree = null)
    {
        var walk = await WalkAsync(store, after, null, null, tree, cancellationToken).ConfigureAwait(false);
        return (walk.Broken is { } broken ? AuditVerification.Failure(walk.Chain.Checked, broken.Sequence, broken.Problem) : walk.Chain, walk.Last);
    }

    /// <summary>
    /// Everything <c>handoff audit verify</c> checks: the chain; that it still extends <paramref name="checkpoint"/>
    /// (whose signature the caller has checked); that every entry's data can be read; that every stored node of the
    /// Merkle tree is what the entries give (<see cref="AuditTreeCheck"/>); and that every stored case is what its
    /// entries say.
    /// </summary>
    public static async Task<AuditReport> CheckAsync(IHandoffStore store, AuditCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        var replay = new CaseAuditReplay();
        var tree = new AuditTreeCheck();
        var walk = await WalkAsync(store, null, checkpoint?.HeadSequence, replay, tree, cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        if (walk.Broken is { } broken)
        {
            problems.Add(broken.Problem);
        }

        var complete = walk.Chain.Intact && walk.Broken is null;
        if (checkpoint is not null && (complete || walk.Chain.Checked >= checkpoint.HeadSequence))
        {
            // A walk that stopped early has already named where; past the checkpoint's head it can still be compared.
            if (AuditCheckpoints.CheckExtends(checkpoint, walk.Chain.Checked, walk.AtCheckpoint) is { } notExtended)
            {
                problems.Add(notExtended);
            }
            else if (checkpoint.Format == AuditCheckpoints.Format && walk.RootAtCheckpoint is { } root && root != checkpoint.RootHash)
            {
                // The entries are the ones signed, the root is not theirs: signed over a changed tree, or not by Handoff.
                problems.Add($"the checkpoint signs root {checkpoint.RootHash} for entries 1..{checkpoint.Size}, but those entries give {root}");
            }
        }

        var cases = 0;
        if (complete)
        {
            problems.AddRange(await tree.CompareAsync(store, cancellationToken).ConfigureAwait(false));

            // The entries not sealed yet are committed writes too, each case's after its sealed ones. Read after the
            // walk, they may have been sealed meanwhile: so the entries sealed past the walk's end are read last, and
            // the two reads merged by id — whatever moved between them is in one or the other — and replayed in id
            // order, which is each case's order.
            var pastTheWalk = new SortedDictionary<long, AuditEntry>();
            try
            {
                await ReadPastTheWalkAsync(store, walk.Last?.Sequence ?? 0, pastTheWalk, cancellationToken).ConfigureAwait(false);
            }
            catch (BrokenRecordException e)
            {
                problems.Add(e.Message);
            }

            foreach (var entry in pastTheWalk.Values)
            {
                if (replay.Add(entry) is { } problem)
                {
                    problems.Add(problem);
                }
            }

            // Replaying part of a log would report every case whose later entries went unread.
            string? after = null;
            string? brokenAhead = null;
            while (true)
            {
                // Up to a broken case the page is read one case at a time, so the cases before it are still checked
                // and the walk goes on after it.
                var limit = brokenAhead is null ? Page : 1;
                IReadOnlyList<HandoffCase> page;
                try
                {
                    page = await store.ReadCasesAsync(after, limit, cancellationToken).ConfigureAwait(false);
                }
                catch (BrokenRecordException e) when (e.CaseId is { } brokenCase)
                {
                    if (limit > 1)
                    {
                        brokenAhead = brokenCase;
                        continue;
                    }

                    problems.Add(e.Message);
                    replay.Skip(brokenCase);
                    cases++;
                    after = brokenCase;
                    brokenAhead = string.CompareOrdinal(brokenCase, brokenAhead) >= 0 ? null : brokenAhead;
                    continue;
                }

                foreach (var c in page)
                {
                    problems.AddRange(replay.Compare(c));
                }

                cases += page.Count;
                if (page.Count < limit)
                {
                    break;
                }

                after = page[^1].Id;
                brokenAhead = string.CompareOrdinal(after, brokenAhead) >= 0 ? null : brokenAhead;
            }

            problems.AddRange(replay.Unseen());
        }

        var tail = await store.GetUnsealedAuditAsync(cancellationToken).ConfigureAwait(false);
        return new AuditReport(walk.Chain, walk.Last, problems, cases, tail);
    }

    private static async Task ReadPastTheWalkAsync(IHandoffStore store, long walkEnd, SortedDictionary<long, AuditEntry> entries, CancellationToken cancellationToken)
    {
        for (var afterId = 0L; ;)
        {
            var unsealed = await store.ReadUnsealedAuditAsync(afterId, Page, cancellationToken).ConfigureAwait(false);
            foreach (var entry in unsealed)
            {
                entries[entry.Id] = entry;
            }

            if (unsealed.Count < Page)
            {
                break;
            }

            afterId = unsealed[^1].Id;
        }

        for (var after = walkEnd; ;)
        {
            var sealedSince = await store.ReadAuditAsync(after, Page, cancellationToken).ConfigureAwait(false);
            foreach (var entry in sealedSince)
            {
                entries[entry.Id] = entry;
            }

            if (sealedSince.Count < Page)
            {
                break;
            }

            after = sealedSince[^1].Sequence;
        }
    }

    private static async Task<Walk> WalkAsync(
        IHandoffStore store, AuditEntry? start, long? checkpointHead, CaseAuditReplay? replay, AuditTreeCheck? tree, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var after = start?.Sequence ?? 0;
        var previousHash = start?.Hash ?? AuditChain.Genesis;
        var last = start;
        AuditEntry? atCheckpoint = null;
        string? rootAtCheckpoint = checkpointHead == 0 && tree is not null ? await tree.RootAsync().ConfigureAwait(false) : null;
        while (true)
        {
            IReadOnlyList<AuditEntry> page;
            try
            {
                page = await store.ReadAuditAsync(after, Page, cancellationToken).ConfigureAwait(false);
            }
            catch (BrokenRecordException e) when (e.Sequence is { } sequence)
            {
                return new Walk(AuditVerification.Success(after), last, atCheckpoint, rootAtCheckpoint, (sequence, e.Message));
            }

            var result = AuditChain.Verify(page, after, previousHash);
            foreach (var entry in result.Intact ? page : page.Take((int)result.Checked))
            {
                if (entry.Sequence == checkpointHead)
                {
                    atCheckpoint = entry;
                }

                if (replay?.Add(entry) is { } problem)
                {
                    return new Walk(AuditVerification.Success(entry.Sequence - 1), last, atCheckpoint, rootAtCheckpoint, (entry.Sequence, problem));
                }

                if (tree is not null)
                {
                    tree.Add(entry);
                    if (entry.Sequence == checkpointHead)
                    {
                        rootAtCheckpoint = await tree.RootAsync().ConfigureAwait(false);
                    }
                }

                last = entry;
            }

            if (!result.Intact)
            {
                // Sequences start at 1 with no gaps up to here, so the entries checked before this page are `after`.
                return new Walk(result with { Checked = after + result.Checked }, last, atCheckpoint, rootAtCheckpoint, null);
            }

            if (page.Count > 0)
            {
                after = last!.Sequence;
                previousHash = last.Hash;
            }

            if (page.Count < Page)
            {
                return new Walk(AuditVerification.Success(after), last, atCheckpoint, rootAtCheckpoint, null);
            }
        }
    }

    private sealed record Walk(AuditVerification Chain, AuditEntry? Last, AuditEntry? AtCheckpoint, string? RootAtCheckpoint, (long Sequence, string Problem)? Broken);
}
