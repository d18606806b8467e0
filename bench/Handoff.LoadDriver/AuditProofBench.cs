using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Server.Audit;
using Handoff.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Handoff.LoadDriver;

/// <summary>
/// The audit log's Merkle tree at a million cases (issue 17): what proving one case costs with the stored tree, and
/// what showing the same against a checkpoint costs with the chain alone (every entry from the case's to the head).
/// The store is filled as <see cref="OverviewBench"/> fills it; then, timed: growing the stored tree over the whole log
/// (once, after the upgrade), growing it by 256 entries, a checkpoint's root, a case's proof and its check, and the
/// chain walked from the middle of the log to its head.
/// <code>
/// dotnet run -c Release --project bench/Handoff.LoadDriver -- --scenario audit-proof [--cases 1000000] [--keep | --reuse DIR]
/// </code>
/// </summary>
internal static class AuditProofBench
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static async Task<int> RunAsync(string[] args)
    {
        var cases = Arguments.Int(args, "--cases", 1_000_000);
        var reuse = Arguments.String(args, "--reuse", null);
        var keep = args.Contains("--keep") || reuse is not null;
        var directory = reuse ?? Directory.CreateTempSubdirectory("handoff-audit-proof-").FullName;
        try
        {
            var file = Path.Combine(directory, "handoff.db");
            using var store = new SqliteHandoffStore(file, TimeProvider.System);
            await store.MigrateAsync(None).ConfigureAwait(false);
            var ws = (await store.EnsureWorkspaceAsync("bench", Actor.Cli("bench"), None).ConfigureAwait(false)).Id;
            if (reuse is null)
            {
                var fill = Stopwatch.StartNew();
                await OverviewBench.FillAsync(store, ws, cases, TimeProvider.System.GetUtcNow()).ConfigureAwait(false);
                Console.WriteLine($"filled {cases:N0} cases in {fill.Elapsed.TotalSeconds:0} s");
            }

            using (var connection = new SqliteConnection(SqliteHandoffStore.BuildConnectionString(file, pooling: false)))
            {
                // A kept database's tree is dropped (the triggers are the migration's), so growing it is timed from the start.
                connection.Open();
                using var reset = connection.CreateCommand();
                reset.CommandText = "DROP TRIGGER IF EXISTS audit_tree_no_delete; DELETE FROM audit_tree; " +
                    "CREATE TRIGGER audit_tree_no_delete BEFORE DELETE ON audit_tree BEGIN SELECT RAISE(ABORT, 'the audit tree is append-only'); END;";
                reset.ExecuteNonQuery();
            }

            var size = await new AuditTreeReader(store).SealedSizeAsync(None).ConfigureAwait(false);
            Console.WriteLine($"the sealed log holds {size:N0} entries");

            var cold = Stopwatch.StartNew();
            var rootWithout = await new AuditTreeReader(store).RootAsync(size, None).ConfigureAwait(false);
            Console.WriteLine($"root with no stored node (every entry read): {cold.Elapsed.TotalMilliseconds:N0} ms");

            var grow = Stopwatch.StartNew();
            var added = await new AuditTreeReader(store).GrowAsync(None).ConfigureAwait(false);
            Console.WriteLine($"growing the stored tree over the whole log: {added:N0} nodes in {grow.Elapsed.TotalMilliseconds:N0} ms, " +
                $"{TreeBytes(file) / 1e3:N0} kB ({TreeBytes(file) / (double)size:0.00} bytes per entry)");

            for (var i = 0; i < 256; i++)
            {
                await store.PublishPolicyAsync(ws, "rules: []", Actor.Cli("bench"), None).ConfigureAwait(false);
            }

            var step = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var timer = Stopwatch.StartNew();
                await new AuditTreeReader(store).GrowAsync(None).ConfigureAwait(false);
                step.Add(timer.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine($"growing by one node after 256 entries, then looks with nothing due: {string.Join(", ", step.Select(static s => s.ToString("0.0", CultureInfo.InvariantCulture)))} ms");
            size = await new AuditTreeReader(store).SealedSizeAsync(None).ConfigureAwait(false);

            var roots = await TimeAsync(20, () => new AuditTreeReader(store).RootAsync(size, None)).ConfigureAwait(false);
            Console.WriteLine($"a checkpoint's root at {size:N0} entries (stored tree, fresh reader): median {roots.Median:0.0} ms, max {roots.Max:0.0} ms");
            Console.WriteLine($"  the root before growing, at the first size, was {(rootWithout == await new AuditTreeReader(store).RootAsync(size - 256, None).ConfigureAwait(false) ? "the same" : "DIFFERENT")}");

            // What a checkpoint's root costs where it is signed: from a walk of the whole chain (handoff audit checkpoint,
            // a server's first checkpoint), and a restarted server's resumption from the stored nodes.
            var walkAll = Stopwatch.StartNew();
            var fromEntries = new AuditTreeCheck();
            var (verified, _) = await AuditLogVerifier.VerifyAsync(store, None, tree: fromEntries).ConfigureAwait(false);
            var signedRoot = await fromEntries.RootAsync().ConfigureAwait(false);
            Console.WriteLine($"the whole chain verified with the tree beside it ({verified.Checked:N0} entries): {walkAll.Elapsed.TotalSeconds:0.0} s; " +
                $"its root is {(signedRoot == await new AuditTreeReader(store).RootAsync(size, None).ConfigureAwait(false) ? "the stored tree's" : "NOT the stored tree's")}");
            var resume = await TimeAsync(5, () => AuditTreeCheck.ResumeAsync(store, size, signedRoot, None)).ConfigureAwait(false);
            Console.WriteLine($"a restarted checkpoint writer taking the stored level-8 nodes (checked against the signed root): median {resume.Median:0.0} ms");

            // Cases from the start, the middle and the end of the log.
            var picks = new List<(string Name, string CaseId)>();
            foreach (var (name, at) in new[] { ("first", 1L), ("middle", size / 2), ("last", size - 2_000) })
            {
                var entry = (await store.ReadAuditAsync(at - 1, 2_000, None).ConfigureAwait(false)).First(static e => e.Subject.StartsWith("cs_", StringComparison.Ordinal));
                picks.Add((name, entry.Subject));
            }

            Console.WriteLine("| case | entries | hashes per entry | proof (JSON bytes) | prove (ms, median of 20) | check (ms) |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var (name, caseId) in picks)
            {
                AuditProof? proof = null;
                var prove = await TimeAsync(20, async () => proof = await new AuditTreeReader(store).ProveAsync(ws, caseId, size, None).ConfigureAwait(false)).ConfigureAwait(false);
                var check = Stopwatch.StartNew();
                var problems = proof!.Check();
                var checkMs = check.Elapsed.TotalMilliseconds;
                if (problems.Count > 0)
                {
                    Console.WriteLine($"PROOF FAILED: {string.Join("; ", problems)}");
                    return 1;
                }

                Console.WriteLine($"| {name} | {proof.Entries.Count} | {proof.Entries.Max(static e => e.Path.Count)} | {AuditProof.Serialize(proof).Length:N0} | {prove.Median:0.0} | {checkMs:0.00} |");
            }

            // The same with the chain alone: from the middle entry to the head, every entry read and hashed.
            var walk = Stopwatch.StartNew();
            var (after, previous) = (size / 2, (await store.ReadAuditAsync((size / 2) - 1, 1, None).ConfigureAwait(false))[0].Hash);
            long bytes = 0, walked = 0;
            while (true)
            {
                var page = await store.ReadAuditAsync(after, 5000, None).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    break;
                }

                if (!AuditChain.Verify(page, after, previous).Intact)
                {
                    Console.WriteLine("CHAIN BROKEN");
                    return 1;
                }

                bytes += page.Sum(static e => (long)JsonSerializer.Serialize(e, HandoffJson.Options).Length);
                walked += page.Count;
                (after, previous) = (page[^1].Sequence, page[^1].Hash);
            }

            Console.WriteLine($"the chain alone, from the middle entry to the head: {walked:N0} entries, {bytes / 1e6:N0} MB as JSON, {walk.Elapsed.TotalMilliseconds:N0} ms");
            return 0;
        }
        finally
        {
            if (!keep)
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
            else
            {
                Console.WriteLine($"kept {directory}");
            }
        }
    }

    private static async Task<(double Median, double Max)> TimeAsync<T>(int times, Func<Task<T>> run)
    {
        var samples = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var timer = Stopwatch.StartNew();
            await run().ConfigureAwait(false);
            samples.Add(timer.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return (samples[samples.Count / 2], samples[^1]);
    }

    // The tree's share of the file: SQLite's dbstat would say exactly; rows times their size is near enough.
    private static long TreeBytes(string file)
    {
        using var connection = new SqliteConnection(SqliteHandoffStore.BuildConnectionString(file, pooling: false));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(length(hash) + 16), 0) FROM audit_tree";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
