using System.CommandLine;
using System.Security.Cryptography;
using Handoff.Core.Audit;
using Handoff.Server.Audit;
using Handoff.Storage.Relational;

namespace Handoff.Cli.Commands;

/// <summary>
/// <c>handoff audit verify</c>: walks the whole hash chain, checks it against a signed checkpoint and the stored cases
/// against their entries; exit 1 names each problem. <c>handoff audit checkpoint</c>: signs the log's size, head and
/// Merkle root. <c>handoff audit prove</c>: one case's entries with an inclusion proof each; <c>handoff audit
/// verify-proof</c> checks such a proof against a signed checkpoint without the database. <c>handoff audit
/// consistency</c> and <c>verify-consistency</c> do the same for two checkpoints: that the newer log holds the older.
/// </summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Work with the audit log.")
    {
        Verify(), Checkpoint(), Prove(), VerifyProof(), Consistency(), VerifyConsistency(),
    };

    private static Command Verify()
    {
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        var key = KeyOption();
        var checkpointOption = new Option<FileInfo?>("--checkpoint") { Description = "A checkpoint file the log must still extend (see `handoff audit checkpoint`)." };
        var publicKey = new Option<FileInfo?>("--public-key")
        {
            Description = "The trusted key a checkpoint must be signed with: a PEM public key, or the key file itself. The default is --key.",
        };
        var verify = new Command("verify", "Check that no audit entry was changed or removed, and that every case is what its entries say.")
        {
            data, storeOption, key, checkpointOption, publicKey,
        };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(data)!;
            using var store = await OpenAsync(directory, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return 2;
            }

            AuditCheckpoint? checkpoint = null;
            if (parse.GetValue(checkpointOption) is { } file)
            {
                var trustedPath = parse.GetValue(publicKey)?.FullName ?? KeyPath(parse.GetValue(key), directory);
                checkpoint = AuditCheckpoints.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false));
                using var trusted = AuditSigningKey.Load(trustedPath);
                if (AuditCheckpoints.CheckSignature(checkpoint, trusted) is { } refused)
                {
                    await Console.Out.WriteLineAsync($"checkpoint {file.Name} refused: {refused}").ConfigureAwait(false);
                    return 1;
                }
            }

            var report = await AuditLogVerifier.CheckAsync(store, checkpoint, cancellationToken).ConfigureAwait(false);
            if (!report.Chain.Intact)
            {
                await Console.Out.WriteLineAsync($"audit chain broken at entry {report.Chain.FirstBadSequence}: {report.Chain.Problem}").ConfigureAwait(false);
            }

            foreach (var problem in report.Problems)
            {
                await Console.Out.WriteLineAsync(problem).ConfigureAwait(false);
            }

            if (!report.Intact)
            {
                return 1;
            }

            // Without a checkpoint, removing entries from the end leaves a shorter chain that still verifies; the last
            // sequence and hash, noted somewhere else, are what shows that.
            await Console.Out.WriteLineAsync(report.Last is { } last
                ? $"audit chain intact: {report.Chain.Checked} entries; last entry {last.Sequence} has hash {last.Hash}"
                : "audit chain intact: 0 entries").ConfigureAwait(false);
            if (checkpoint is not null)
            {
                await Console.Out.WriteLineAsync(
                    $"the log extends the checkpoint of {checkpoint.Size} entries made {AuditChain.FormatTime(checkpoint.At)} (key {checkpoint.KeyId})").ConfigureAwait(false);
            }

            if (report.Unsealed is { Count: > 0 } tail)
            {
                // Written and committed, waiting for a node's sealer to chain them (PostgreSQL); a tail that only grows
                // older means no node is sealing.
                var age = tail.OldestAt is { } oldest ? $"; the oldest was written {AuditChain.FormatTime(oldest)}, {(TimeProvider.System.GetUtcNow() - oldest).TotalSeconds:0.0} s ago" : "";
                await Console.Out.WriteLineAsync($"{tail.Count} entries not sealed yet{age}").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync($"{report.CasesChecked} cases match their audit entries").ConfigureAwait(false);
            return 0;
        });
        return verify;
    }

    private static Command Checkpoint()
    {
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        var key = KeyOption();
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the checkpoint (standard output otherwise)." };
        var checkpoint = new Command("checkpoint", "Sign the audit log's size and last hash, to show later that it was not cut short or rewritten.")
        {
            data, storeOption, key, output,
        };
        checkpoint.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(data)!;
            using var store = await OpenAsync(directory, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return 2;
            }

            // Signing a log that no longer verifies would vouch for the tampering. The root is the walked entries' own.
            var tree = new AuditTreeCheck();
            var (result, last) = await AuditLogVerifier.VerifyAsync(store, cancellationToken, tree: tree).ConfigureAwait(false);
            if (!result.Intact)
            {
                await Console.Out.WriteLineAsync($"audit chain broken at entry {result.FirstBadSequence}: {result.Problem}; no checkpoint written").ConfigureAwait(false);
                return 1;
            }

            using var signing = AuditSigningKey.LoadOrCreate(KeyPath(parse.GetValue(key), directory));
            var json = AuditCheckpoints.Serialize(AuditCheckpoints.Sign(last, await tree.RootAsync().ConfigureAwait(false), TimeProvider.System.GetUtcNow(), signing));
            await WriteOrPrintAsync(json, parse.GetValue(output), path => $"checkpoint of {result.Checked} entries written to {path}", cancellationToken).ConfigureAwait(false);

            return 0;
        });
        return checkpoint;
    }

    private static Command Prove()
    {
        var caseId = new Argument<string>("case") { Description = "The case's id (cs_…)." };
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        var workspace = CommonOptions.Workspace();
        var key = KeyOption();
        var checkpointOption = new Option<FileInfo?>("--checkpoint")
        {
            Description = "Prove against this signed checkpoint's tree (its size and root) rather than the whole sealed log as it is now.",
        };
        var publicKey = PublicKeyOption();
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the proof (standard output otherwise)." };
        var prove = new Command("prove", "Prove one case's audit entries with a Merkle inclusion proof each, checkable without the rest of the log.")
        {
            caseId, data, storeOption, workspace, key, checkpointOption, publicKey, output,
        };
        prove.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(data)!;
            using var store = await OpenAsync(directory, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return 2;
            }

            var checkpoint = await ReadCheckpointAsync(parse.GetValue(checkpointOption), parse.GetValue(publicKey), parse.GetValue(key), directory, cancellationToken)
                .ConfigureAwait(false);
            if (checkpoint is { Refused: { } refused })
            {
                await Console.Out.WriteLineAsync(refused).ConfigureAwait(false);
                return 1;
            }

            var name = parse.GetValue(workspace)!;
            var id = parse.GetValue(caseId)!;
            if (await store.FindWorkspaceAsync(name, cancellationToken).ConfigureAwait(false) is not { } ws)
            {
                await Console.Error.WriteLineAsync($"No workspace named '{name}'.").ConfigureAwait(false);
                return 2;
            }

            var tree = new AuditTreeReader(store);
            var sealedSize = await tree.SealedSizeAsync(cancellationToken).ConfigureAwait(false);
            if (checkpoint?.Checkpoint is { } signed && signed.Size > sealedSize)
            {
                await Console.Out.WriteLineAsync($"truncated: checkpoint covers entries 1..{signed.Size} but the sealed log has {sealedSize}").ConfigureAwait(false);
                return 1;
            }

            var proof = await tree.ProveAsync(ws.Id, id, checkpoint?.Checkpoint?.Size ?? sealedSize, cancellationToken).ConfigureAwait(false);
            if (proof is null)
            {
                await Console.Error.WriteLineAsync($"No audit entries about case '{id}' in workspace '{name}'.").ConfigureAwait(false);
                return 2;
            }

            if (proof.Entries.Count == 0)
            {
                await Console.Out.WriteLineAsync(
                    $"case {id} has no entry in the tree of {proof.TreeSize} entries: its {proof.EntriesAfter} entries came after it (sealed later, or not sealed yet)").ConfigureAwait(false);
                return 1;
            }

            // The proof is checked here as its reader will check it: a log rewritten under a checkpoint shows now.
            var problems = proof.Check().ToList();
            if (checkpoint?.Checkpoint is { } against && proof.CheckAgainst(against) is { } mismatch)
            {
                problems.Add(mismatch);
            }

            if (!await NoProblemsAsync(problems).ConfigureAwait(false))
            {
                return 1;
            }

            var json = AuditProof.Serialize(proof);
            await WriteOrPrintAsync(json, parse.GetValue(output), path => Summary(proof) + $"; written to {path}", cancellationToken).ConfigureAwait(false);

            return 0;
        });
        return prove;
    }

    private static Command VerifyProof()
    {
        var proofFile = new Argument<FileInfo>("proof") { Description = "A proof written by handoff audit prove." };
        var data = CommonOptions.Data();
        var key = KeyOption();
        var checkpointOption = new Option<FileInfo?>("--checkpoint")
        {
            Description = "The signed checkpoint the proof must match (its size and root); required.",
        };
        var publicKey = PublicKeyOption();
        var verify = new Command("verify-proof", "Check a case's audit proof against a signed checkpoint, without the database.")
        {
            proofFile, data, key, checkpointOption, publicKey,
        };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(proofFile)!;
            AuditProof proof;
            try
            {
                proof = AuditProof.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"{file.Name}: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            if (parse.GetValue(checkpointOption) is not { } checkpointFile)
            {
                // Without a signed root a proof shows only that it agrees with itself, which anyone can make.
                await Console.Error.WriteLineAsync("A proof is checked against a signed checkpoint: give one with --checkpoint.").ConfigureAwait(false);
                return 2;
            }

            var checkpoint = await ReadCheckpointAsync(checkpointFile, parse.GetValue(publicKey), parse.GetValue(key), parse.GetValue(data)!, cancellationToken)
                .ConfigureAwait(false);
            if (checkpoint is not { Checkpoint: { } signed })
            {
                await Console.Out.WriteLineAsync(checkpoint?.Refused).ConfigureAwait(false);
                return 1;
            }

            var problems = proof.Check().ToList();
            if (proof.CheckAgainst(signed) is { } mismatch)
            {
                problems.Add(mismatch);
            }

            if (!await NoProblemsAsync(problems).ConfigureAwait(false))
            {
                return 1;
            }

            await Console.Out.WriteLineAsync(Summary(proof)).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"the tree is the one the checkpoint made {AuditChain.FormatTime(signed.At)} signs (key {signed.KeyId})").ConfigureAwait(false);
            return 0;
        });
        return verify;
    }

    private static Command Consistency()
    {
        var older = new Argument<FileInfo>("older") { Description = "The older signed checkpoint." };
        var newer = new Argument<FileInfo>("newer") { Description = "The newer signed checkpoint." };
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        var key = KeyOption();
        var publicKey = PublicKeyOption();
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the proof (standard output otherwise)." };
        var command = new Command("consistency", "Prove that the log a newer checkpoint signs holds the log an older one signs, unchanged, checkable without the database.")
        {
            older, newer, data, storeOption, key, publicKey, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(data)!;
            var pair = await ReadPairAsync(parse.GetValue(older)!, parse.GetValue(newer)!, parse.GetValue(publicKey), parse.GetValue(key), directory, cancellationToken)
                .ConfigureAwait(false);
            if (pair is not { } checkpoints)
            {
                return 1;
            }

            var (first, second) = checkpoints;

            using var store = await OpenAsync(directory, parse.GetValue(storeOption), cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return 2;
            }

            var tree = new AuditTreeReader(store);
            var sealedSize = await tree.SealedSizeAsync(cancellationToken).ConfigureAwait(false);
            if (second.Size > sealedSize)
            {
                await Console.Out.WriteLineAsync($"truncated: the newer checkpoint covers entries 1..{second.Size} but the sealed log has {sealedSize}").ConfigureAwait(false);
                return 1;
            }

            // Checked here as its reader will check it: a log rewritten under either checkpoint shows now.
            var proof = await tree.ConsistencyAsync(first.Size, second.Size, cancellationToken).ConfigureAwait(false);
            if (!await NoProblemsAsync([.. new[] { proof.Check(), proof.CheckAgainst(first, second) }.OfType<string>()]).ConfigureAwait(false))
            {
                return 1;
            }

            var json = AuditConsistencyProof.Serialize(proof);
            await WriteOrPrintAsync(json, parse.GetValue(output), path => $"{ConsistencySummary(proof)}; written to {path}", cancellationToken).ConfigureAwait(false);

            return 0;
        });
        return command;
    }

    private static Command VerifyConsistency()
    {
        var proofFile = new Argument<FileInfo>("proof") { Description = "A proof written by handoff audit consistency." };
        var older = new Argument<FileInfo>("older") { Description = "The older signed checkpoint, which you kept." };
        var newer = new Argument<FileInfo>("newer") { Description = "The newer signed checkpoint." };
        var data = CommonOptions.Data();
        var key = KeyOption();
        var publicKey = PublicKeyOption();
        var command = new Command("verify-consistency", "Check that a newer checkpoint's log holds an older one's unchanged, from a consistency proof, without the database.")
        {
            proofFile, older, newer, data, key, publicKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(proofFile)!;
            AuditConsistencyProof proof;
            try
            {
                proof = AuditConsistencyProof.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"{file.Name}: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            var pair = await ReadPairAsync(parse.GetValue(older)!, parse.GetValue(newer)!, parse.GetValue(publicKey), parse.GetValue(key), parse.GetValue(data)!, cancellationToken)
                .ConfigureAwait(false);
            if (pair is not { } checkpoints)
            {
                return 1;
            }

            var (first, second) = checkpoints;

            if (!await NoProblemsAsync([.. new[] { proof.CheckAgainst(first, second), proof.Check() }.OfType<string>()]).ConfigureAwait(false))
            {
                return 1;
            }

            await Console.Out.WriteLineAsync(ConsistencySummary(proof)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    // Both checkpoints checked against the trusted key and in order; null (after saying why) when not.
    private static async Task<(AuditCheckpoint Older, AuditCheckpoint Newer)?> ReadPairAsync(
        FileInfo older, FileInfo newer, FileInfo? publicKey, string? key, string directory, CancellationToken cancellationToken)
    {
        var first = await ReadCheckpointAsync(older, publicKey, key, directory, cancellationToken).ConfigureAwait(false);
        var second = await ReadCheckpointAsync(newer, publicKey, key, directory, cancellationToken).ConfigureAwait(false);
        foreach (var refused in new[] { first?.Refused, second?.Refused }.OfType<string>())
        {
            await Console.Out.WriteLineAsync(refused).ConfigureAwait(false);
        }

        if (first?.Checkpoint is not { } a || second?.Checkpoint is not { } b)
        {
            return null;
        }

        if (a.Size > b.Size)
        {
            await Console.Out.WriteLineAsync($"{older.Name} covers {a.Size} entries, more than {newer.Name} ({b.Size}): give the older checkpoint first").ConfigureAwait(false);
            return null;
        }

        return (a, b);
    }

    private static string ConsistencySummary(AuditConsistencyProof proof) =>
        $"the tree of {proof.SecondSize} entries (root {proof.SecondRoot}) holds the tree of {proof.FirstSize} entries (root {proof.FirstRoot}) unchanged; {proof.Path.Count} hashes";

    // A document to the file --out names, saying what was written where; else to standard output alone.
    private static async Task WriteOrPrintAsync(string json, FileInfo? file, Func<string, string> written, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            await Console.Out.WriteLineAsync(json).ConfigureAwait(false);
            return;
        }

        await File.WriteAllTextAsync(file.FullName, json + "\n", cancellationToken).ConfigureAwait(false);
        await Console.Out.WriteLineAsync(written(file.FullName)).ConfigureAwait(false);
    }

    // Prints each problem; true when there is none.
    private static async Task<bool> NoProblemsAsync(List<string> problems)
    {
        foreach (var problem in problems)
        {
            await Console.Out.WriteLineAsync(problem).ConfigureAwait(false);
        }

        return problems.Count == 0;
    }

    private static string Summary(AuditProof proof)
    {
        var after = proof.EntriesAfter > 0 ? $" ({proof.EntriesAfter} later entries are not in this tree)" : "";
        var hashes = proof.Entries.Count > 0 ? $", {proof.Entries.Max(static e => e.Path.Count)} hashes each at most" : "";
        return $"case {proof.CaseId}: {proof.Entries.Count} entries proven in the tree of {proof.TreeSize} entries with root {proof.RootHash}{hashes}{after}";
    }

    // A checkpoint file checked against the trusted key: the checkpoint, or why it is refused; null when none was given.
    private static async Task<(AuditCheckpoint? Checkpoint, string? Refused)?> ReadCheckpointAsync(
        FileInfo? file, FileInfo? publicKey, string? key, string directory, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return null;
        }

        AuditCheckpoint checkpoint;
        try
        {
            checkpoint = AuditCheckpoints.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            return (null, $"checkpoint {file.Name} refused: {e.Message}");
        }

        ECDsa trusted;
        try
        {
            trusted = AuditSigningKey.Load(publicKey?.FullName ?? KeyPath(key, directory));
        }
        catch (InvalidOperationException e)
        {
            return (null, $"checkpoint {file.Name} refused: {e.Message}");
        }

        using (trusted)
        {
            return AuditCheckpoints.CheckSignature(checkpoint, trusted) is { } refused
                ? (null, $"checkpoint {file.Name} refused: {refused}")
                : (checkpoint, null);
        }
    }

    private static Option<FileInfo?> PublicKeyOption() => new("--public-key")
    {
        Description = "The trusted key a checkpoint must be signed with: a PEM public key, or the key file itself. The default is --key.",
    };

    private static Option<string?> KeyOption() => new("--key")
    {
        Description = $"The checkpoint signing key (PEM; created on first use, readable by its owner only). The default is {AuditSigningKey.DefaultFileName} in --data.",
    };

    private static string KeyPath(string? key, string dataDirectory) => key ?? Path.Combine(dataDirectory, AuditSigningKey.DefaultFileName);

    private static async Task<RelationalHandoffStore?> OpenAsync(string directory, string? where, CancellationToken cancellationToken)
    {
        if (where is null && !File.Exists(Path.Combine(directory, "handoff.db")))
        {
            await Console.Error.WriteLineAsync($"No Handoff database in '{directory}'.").ConfigureAwait(false);
            return null;
        }

        return await CommonOptions.OpenStoreAsync(directory, where, cancellationToken, migrate: false).ConfigureAwait(false);
    }
}
