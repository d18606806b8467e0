using System.CommandLine;
using Handoff.Server.Audit;

namespace Handoff.Cli.Commands;

/// <summary><c>handoff audit verify</c>: walks the whole hash chain; exit 1 names the first bad entry.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        var verify = new Command("verify", "Check that no audit entry was changed or removed.") { data, storeOption };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(data)!;
            var where = parse.GetValue(storeOption);
            if (where is null && !File.Exists(Path.Combine(directory, "handoff.db")))
            {
                await Console.Error.WriteLineAsync($"No Handoff database in '{directory}'.").ConfigureAwait(false);
                return 2;
            }

            using var store = await CommonOptions.OpenStoreAsync(directory, where, cancellationToken, migrate: false).ConfigureAwait(false);
            var (result, last) = await AuditLogVerifier.VerifyAsync(store, cancellationToken).ConfigureAwait(false);
            if (result.Intact)
            {
                // Removing entries from the end leaves a shorter chain that still verifies; the last sequence and
                // hash, noted somewhere else, are what shows that.
                await Console.Out.WriteLineAsync(last is null
                    ? "audit chain intact: 0 entries"
                    : $"audit chain intact: {result.Checked} entries; last entry {last.Sequence} has hash {last.Hash}").ConfigureAwait(false);
                return 0;
            }

            await Console.Out.WriteLineAsync($"audit chain broken at entry {result.FirstBadSequence}: {result.Problem}").ConfigureAwait(false);
            return 1;
        });
        return new Command("audit", "Work with the audit log.") { verify };
    }
}
