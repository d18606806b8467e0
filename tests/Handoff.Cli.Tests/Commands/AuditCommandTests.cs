using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Handoff.Cli.Tests.Commands;

/// <summary>
/// <c>handoff audit checkpoint</c> and <c>verify</c> against a real SQLite file that the tests tamper with the way
/// someone holding the file could: triggers dropped, rows deleted or rewritten, hashes recomputed.
/// </summary>
public sealed class AuditCommandTests : IDisposable
{
    private static readonly Actor Agent = new("key", "key_agent", "support-bot");
    private static readonly Actor Alice = new("user", "usr_alice", "Alice");

    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Database => Path.Combine(_dir.Path, "handoff.db");

    [Fact]
    public async Task Checkpoint_ThenVerifyWithIt_Passes_AndTheKeyFileIsTheOwnersAlone()
    {
        await SeedAsync();
        var checkpoint = Path.Combine(_dir.Path, "cp.json");

        var (exit, output, error) = await CliRunner.RunAsync("audit", "checkpoint", "--data", _dir.Path, "--out", checkpoint);
        var (verifyExit, verifyOutput, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path, "--checkpoint", checkpoint);

        Assert.True(exit == 0, output + error);
        Assert.True(verifyExit == 0, verifyOutput);
        Assert.Contains("the log extends the checkpoint of 6 entries", verifyOutput, StringComparison.Ordinal);
        Assert.Contains("2 cases match their audit entries", verifyOutput, StringComparison.Ordinal);
        var document = JsonDocument.Parse(await File.ReadAllTextAsync(checkpoint, Ct)).RootElement;
        Assert.Equal(AuditCheckpoints.Format, document.GetProperty("format").GetString());
        Assert.Equal(6, document.GetProperty("size").GetInt64());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir.Path, "audit-signing.pem")));
        }
    }

    [Fact]
    public async Task Verify_AfterTheLastEntriesAreDeleted_SaysTheLogIsTruncated()
    {
        await SeedAsync();
        var checkpoint = await CheckpointAsync();
        Tamper("DELETE FROM audit WHERE seq > 4");

        var (plainExit, _, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path);
        var (exit, output, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path, "--checkpoint", checkpoint);

        Assert.Equal(1, exit);
        Assert.Contains("truncated: checkpoint covers entries 1..6 but the log has 4", output, StringComparison.Ordinal);
        // Without the checkpoint the chain itself still verifies; only the cases give the deletion away.
        Assert.Equal(1, plainExit);
    }

    [Fact]
    public async Task Verify_AfterAnEntryIsRewrittenAndEveryLaterHashRecomputed_NamesTheCheckpointsHead()
    {
        await SeedAsync();
        var checkpoint = await CheckpointAsync();
        await RewriteAsync(2, e => e with { ActorName = "mallory" });

        var (plainExit, plainOutput, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path);
        var (exit, output, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path, "--checkpoint", checkpoint);

        Assert.True(plainExit == 0, plainOutput);
        Assert.Equal(1, exit);
        Assert.Contains("entry 6 differs from the checkpoint", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ACheckpointSignedWithAnotherKey_IsRefused()
    {
        await SeedAsync();
        await CheckpointAsync();
        var forged = Path.Combine(_dir.Path, "forged.json");
        await CliRunner.RunAsync("audit", "checkpoint", "--data", _dir.Path, "--key", Path.Combine(_dir.Path, "mallory.pem"), "--out", forged);

        var (exit, output, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path, "--checkpoint", forged);

        Assert.Equal(1, exit);
        Assert.Contains("refused: the checkpoint was signed by key sha256:", output, StringComparison.Ordinal);
        Assert.Contains("not by the trusted key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AfterACaseRowIsEdited_NamesTheCaseAndWhatItsEntriesSay()
    {
        var (_, pending) = await SeedAsync();
        Tamper($"UPDATE cases SET status = 'approved', document = json_set(document, '$.status', 'approved') WHERE id = '{pending}'");

        var (exit, output, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains($"case {pending} : stored status approved but its audit entries say pending", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AfterOnlyACaseRowsColumnsAreEdited_NamesTheColumn_AndStillChecksTheOtherCases()
    {
        var (decided, pending) = await SeedAsync();
        // What the inbox reads: the decided case shown as pending again, held by nobody; the pending one's document
        // changed as well, to show that the cases around the broken row are still compared.
        Tamper($"UPDATE cases SET status = 'pending', assigned_to_id = NULL WHERE id = '{decided}'");
        Tamper($"UPDATE cases SET status = 'approved', document = json_set(document, '$.status', 'approved') WHERE id = '{pending}'");

        var (exit, output, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains($"case {decided} is broken: its status column says 'pending' but its document says 'approved'", output, StringComparison.Ordinal);
        Assert.Contains($"case {pending} : stored status approved but its audit entries say pending", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not in the store", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AfterADecisionInACaseRowIsChanged_NamesTheVerdict()
    {
        var (decided, _) = await SeedAsync();
        Tamper($"UPDATE cases SET document = json_set(document, '$.decision.verdict', 'reject') WHERE id = '{decided}'");

        var (exit, output, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains($"case {decided} : stored verdict reject but its audit entries say approve", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AnEntryWhoseTimeIsNotATime_ReportsItBroken_WithoutAStackTrace()
    {
        await SeedAsync();
        Tamper("UPDATE audit SET at = 'garbage' WHERE seq = 3");

        var (exit, output, error) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains("entry 3 is broken: its time 'garbage' is not a time", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AnEntryWhoseDataIsNotJson_ReportsItBroken_EvenWithItsHashRecomputed()
    {
        await SeedAsync();
        await RewriteAsync(3, e => e with { Data = "{oops" });

        var (exit, output, _) = await CliRunner.RunAsync("audit", "verify", "--data", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains("entry 3 is broken: its data is not JSON", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prove_ThenVerifyProofAgainstTheCheckpoint_WithoutTheDatabase_Passes()
    {
        var (decided, _) = await SeedAsync();
        var checkpoint = await CheckpointAsync();
        var proof = Path.Combine(_dir.Path, "proof.json");

        var (exit, output, error) = await CliRunner.RunAsync("audit", "prove", decided, "--data", _dir.Path, "--checkpoint", checkpoint, "--out", proof);
        File.Delete(Database);
        var (verifyExit, verifyOutput, verifyError) = await CliRunner.RunAsync(
            "audit", "verify-proof", proof, "--checkpoint", checkpoint, "--public-key", Path.Combine(_dir.Path, "audit-signing.pem"));

        Assert.True(exit == 0, output + error);
        Assert.Contains($"case {decided}: 3 entries proven in the tree of 6 entries", output, StringComparison.Ordinal);
        Assert.True(verifyExit == 0, verifyOutput + verifyError);
        Assert.Contains("the tree is the one the checkpoint made", verifyOutput, StringComparison.Ordinal);
        var document = JsonDocument.Parse(await File.ReadAllTextAsync(proof, Ct)).RootElement;
        Assert.Equal(AuditProof.CurrentFormat, document.GetProperty("format").GetString());
        Assert.Equal(
            ["case.created", "case.claimed", "case.decided"],
            document.GetProperty("entries").EnumerateArray().Select(static e => e.GetProperty("entry").GetProperty("action").GetString()));
        Assert.Equal(JsonDocument.Parse(await File.ReadAllTextAsync(checkpoint, Ct)).RootElement.GetProperty("rootHash").GetString(),
            document.GetProperty("rootHash").GetString());
    }

    [Fact]
    public async Task Prove_WithoutACheckpoint_PrintsTheProofOfTheWholeSealedLog()
    {
        var (_, pending) = await SeedAsync();

        var (exit, output, error) = await CliRunner.RunAsync("audit", "prove", pending, "--data", _dir.Path);

        Assert.True(exit == 0, output + error);
        var proof = AuditProof.Parse(output);
        Assert.Equal(6, proof.TreeSize);
        Assert.Equal(6, Assert.Single(proof.Entries).Entry.Sequence);
        Assert.Empty(proof.Check());
    }

    [Fact]
    public async Task Prove_AfterAnEntryIsRewrittenAndEveryLaterHashRecomputed_SaysTheCheckpointSignsAnotherRoot()
    {
        var (decided, _) = await SeedAsync();
        var checkpoint = await CheckpointAsync();
        await RewriteAsync(4, e => e with { ActorName = "mallory" });

        var (exit, output, _) = await CliRunner.RunAsync("audit", "prove", decided, "--data", _dir.Path, "--checkpoint", checkpoint);

        Assert.Equal(1, exit);
        Assert.Contains("was changed at or before entry 6", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyProof_AnEntryEditedInTheProof_OrACheckpointOfAnotherSize_IsNamed()
    {
        var (decided, _) = await SeedAsync();
        var checkpoint = await CheckpointAsync();
        var proof = Path.Combine(_dir.Path, "proof.json");
        await CliRunner.RunAsync("audit", "prove", decided, "--data", _dir.Path, "--checkpoint", checkpoint, "--out", proof);
        var text = await File.ReadAllTextAsync(proof, Ct);
        await File.WriteAllTextAsync(proof, text.Replace("\"actorName\": \"Alice\"", "\"actorName\": \"Mallory\"", StringComparison.Ordinal), Ct);
        using (var store = new SqliteHandoffStore(Database, TimeProvider.System))
        {
            await store.PublishPolicyAsync((await store.FindWorkspaceAsync("default", Ct))!.Id, "rules: []", Actor.Cli("ops"), Ct);
        }

        var later = Path.Combine(_dir.Path, "later.json");
        await CliRunner.RunAsync("audit", "checkpoint", "--data", _dir.Path, "--out", later);

        var (editedExit, editedOutput, _) = await CliRunner.RunAsync("audit", "verify-proof", proof, "--data", _dir.Path, "--checkpoint", checkpoint);
        await File.WriteAllTextAsync(proof, text, Ct);
        var (laterExit, laterOutput, _) = await CliRunner.RunAsync("audit", "verify-proof", proof, "--data", _dir.Path, "--checkpoint", later);

        Assert.Equal(1, editedExit);
        Assert.Contains("entry 4 was altered", editedOutput, StringComparison.Ordinal);
        Assert.Equal(1, laterExit);
        Assert.Contains("the proof is against a tree of 6 entries, the checkpoint signs 7", laterOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prove_ACaseTheLogNeverSaw_OrAnUnknownWorkspace_AndVerifyProofOfNoProofOrWithoutACheckpoint_ExitTwo_WithoutAStackTrace()
    {
        var (decided, _) = await SeedAsync();

        var (unknownCase, _, caseError) = await CliRunner.RunAsync("audit", "prove", "cs_nobody", "--data", _dir.Path);
        var (unknownWorkspace, _, workspaceError) = await CliRunner.RunAsync("audit", "prove", "cs_nobody", "--data", _dir.Path, "--workspace", "nowhere");
        var (badProof, _, proofError) = await CliRunner.RunAsync("audit", "verify-proof", Database);
        var proof = Path.Combine(_dir.Path, "proof.json");
        await CliRunner.RunAsync("audit", "prove", decided, "--data", _dir.Path, "--out", proof);
        var (unsigned, _, unsignedError) = await CliRunner.RunAsync("audit", "verify-proof", proof);

        Assert.Equal(2, unknownCase);
        Assert.Contains("No audit entries about case 'cs_nobody'", caseError, StringComparison.Ordinal);
        Assert.Equal(2, unknownWorkspace);
        Assert.Contains("No workspace named 'nowhere'", workspaceError, StringComparison.Ordinal);
        Assert.Equal(2, badProof);
        Assert.Contains("Not an audit proof", proofError, StringComparison.Ordinal);
        var folder = Directory.CreateDirectory(Path.Combine(_dir.Path, "a-folder")).FullName;
        var (folderProof, _, folderError) = await CliRunner.RunAsync("audit", "verify-proof", folder, "--checkpoint", proof);
        var (folderOut, _, folderOutError) = await CliRunner.RunAsync("audit", "prove", decided, "--data", _dir.Path, "--out", folder);
        Assert.Equal(2, folderProof);
        Assert.Equal(1, folderOut);
        Assert.Contains("a-folder", folderError + folderOutError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", folderError + folderOutError, StringComparison.Ordinal);
        Assert.Equal(2, unsigned);
        Assert.Contains("give one with --checkpoint", unsignedError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", caseError + workspaceError + proofError + unsignedError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consistency_BetweenTwoCheckpoints_IsCheckedWithoutTheDatabase_AndAForkedLogCannotBeShownToHoldTheOlder()
    {
        await SeedAsync();
        var older = await CheckpointAsync("older.json");
        using (var store = new SqliteHandoffStore(Database, TimeProvider.System))
        {
            await store.PublishPolicyAsync((await store.FindWorkspaceAsync("default", Ct))!.Id, "rules: []", Actor.Cli("ops"), Ct);
        }

        var newer = await CheckpointAsync("newer.json");
        var proof = Path.Combine(_dir.Path, "consistency.json");
        var key = Path.Combine(_dir.Path, "audit-signing.pem");

        var (exit, output, error) = await CliRunner.RunAsync("audit", "consistency", older, newer, "--data", _dir.Path, "--out", proof);
        var (checkExit, checkOutput, checkError) = await CliRunner.RunAsync("audit", "verify-consistency", proof, older, newer, "--public-key", key);
        var (swappedExit, swappedOutput, _) = await CliRunner.RunAsync("audit", "verify-consistency", proof, newer, older, "--public-key", key);

        Assert.True(exit == 0, output + error);
        Assert.True(checkExit == 0, checkOutput + checkError);
        Assert.Contains("the tree of 7 entries", checkOutput, StringComparison.Ordinal);
        Assert.Contains("holds the tree of 6 entries", checkOutput, StringComparison.Ordinal);
        Assert.Equal(1, swappedExit);
        Assert.Contains("give the older checkpoint first", swappedOutput, StringComparison.Ordinal);

        // Someone rewrites entry 2, recomputes every later hash and signs the result with the server's own key.
        await RewriteAsync(2, e => e with { ActorName = "mallory" });
        var forked = await CheckpointAsync("forked.json");
        var (forkExit, forkOutput, _) = await CliRunner.RunAsync("audit", "consistency", older, forked, "--data", _dir.Path);
        var document = JsonNode.Parse(await File.ReadAllTextAsync(proof, Ct))!;
        var signedForked = AuditCheckpoints.Parse(await File.ReadAllTextAsync(forked, Ct));
        document["secondRoot"] = signedForked.RootHash;
        var doctored = Path.Combine(_dir.Path, "doctored.json");
        await File.WriteAllTextAsync(doctored, document.ToJsonString(), Ct);
        var (doctoredExit, doctoredOutput, _) = await CliRunner.RunAsync("audit", "verify-consistency", doctored, older, forked, "--public-key", key);
        var (oldProofExit, oldProofOutput, _) = await CliRunner.RunAsync("audit", "verify-consistency", proof, older, forked, "--public-key", key);

        Assert.Equal(1, forkExit);
        Assert.Contains("the older checkpoint signs 6 entries with root", forkOutput, StringComparison.Ordinal);
        Assert.Equal(1, doctoredExit);
        Assert.Contains("does not hold the tree of 6 entries", doctoredOutput, StringComparison.Ordinal);
        Assert.Equal(1, oldProofExit);
        Assert.Contains("the newer checkpoint signs 7 entries with root", oldProofOutput, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    // Six entries: workspace.created, policy.published, then a case created, claimed and decided, and a pending one.
    private async Task<(string Decided, string Pending)> SeedAsync()
    {
        using var store = new SqliteHandoffStore(Database, TimeProvider.System);
        await store.MigrateAsync(Ct);
        var workspace = await store.EnsureWorkspaceAsync("default", Actor.Cli("ops"), Ct);
        await store.PublishPolicyAsync(workspace.Id, "rules: []", Actor.Cli("ops"), Ct);
        var decided = (await store.CreateCaseAsync(NewCase(workspace.Id), Ct)).Case;
        await store.ClaimCaseAsync(workspace.Id, decided.Id, Alice, TimeProvider.System.GetUtcNow(), Ct);
        var decision = Decisions.Make(decided, new DecisionRequest(Verdict.Approve), Alice, TimeProvider.System.GetUtcNow());
        await store.DecideCaseAsync(workspace.Id, decided.Id, decision.Decision!, decision.Status, Ct);
        var pending = (await store.CreateCaseAsync(NewCase(workspace.Id), Ct)).Case;
        return (decided.Id, pending.Id);
    }

    private static HandoffCase NewCase(string workspaceId) => new()
    {
        Id = $"cs_{Guid.CreateVersion7():N}",
        WorkspaceId = workspaceId,
        Content = new CaseContent { Kind = CaseKind.Reply, Proposal = new Proposal("Refunded.", null, 0.5) },
        Evaluation = new Evaluation(Outcome.Review, [], "support", Priority.Normal, 0.8, 1),
        Status = CaseStatus.Pending,
        CreatedAt = TimeProvider.System.GetUtcNow(),
        UpdatedAt = TimeProvider.System.GetUtcNow(),
        SubmittedBy = Agent,
    };

    private async Task<string> CheckpointAsync(string name = "checkpoint.json")
    {
        var path = Path.Combine(_dir.Path, name);
        var (exit, output, error) = await CliRunner.RunAsync("audit", "checkpoint", "--data", _dir.Path, "--out", path);
        Assert.True(exit == 0, output + error);
        return path;
    }

    // Changes one entry and re-seals it and every entry after it, so that the chain alone verifies again.
    private async Task RewriteAsync(long sequence, Func<AuditEntry, AuditEntry> change)
    {
        IReadOnlyList<AuditEntry> entries;
        using (var store = new SqliteHandoffStore(Database, TimeProvider.System))
        {
            entries = await store.ReadAuditAsync(0, 1000, Ct);
        }

        var previous = entries[(int)sequence - 2].Hash;
        foreach (var entry in entries.Where(e => e.Sequence >= sequence))
        {
            var sealedEntry = AuditChain.Seal(entry.Sequence == sequence ? change(entry) : entry, previous);
            Tamper(
                $"UPDATE audit SET actor_name = '{sealedEntry.ActorName}', data = '{sealedEntry.Data.Replace("'", "''", StringComparison.Ordinal)}', " +
                $"prev_hash = '{sealedEntry.PreviousHash}', hash = '{sealedEntry.Hash}' WHERE seq = {entry.Sequence}");
            previous = sealedEntry.Hash;
        }
    }

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; {sql}";
        command.ExecuteNonQuery();
    }
}
