using System.CommandLine;
using Handoff.Core.Audit;
using Handoff.Server.Audit;
using Handoff.Storage.Relational;

namespace Handoff.Cli.Commands;

/// <summary>
/// <c>handoff audit verify</c>: walks the whole hash chain, checks it against a signed checkpoint and the stored cases
/// against their entries; exit 1 names each problem. <c>handoff audit checkpoint</c>: signs the log's size and head.
/// </summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Work with the audit log.") { Verify(), Checkpoint() };

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

            // Signing a log that no longer verifies would vouch for the tampering.
            var (result, last) = await AuditLogVerifier.VerifyAsync(store, cancellationToken).ConfigureAwait(false);
            if (!result.Intact)
            {
                await Console.Out.WriteLineAsync($"audit chain broken at entry {result.FirstBadSequence}: {result.Problem}; no checkpoint written").ConfigureAwait(false);
                return 1;
            }

            using var signing = AuditSigningKey.LoadOrCreate(KeyPath(parse.GetValue(key), directory));
            var json = AuditCheckpoints.Serialize(AuditCheckpoints.Sign(last, TimeProvider.System.GetUtcNow(), signing));
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, json + "\n", cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"checkpoint of {result.Checked} entries written to {file.FullName}").ConfigureAwait(false);
            }
            else
            {
                await Console.Out.WriteLineAsync(json).ConfigureAwait(false);
            }

            return 0;
        });
        return checkpoint;
    }

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
