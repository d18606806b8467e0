using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Storage.Tests.Sqlite;

/// <summary>What only the SQLite backend promises: its file, its migrations, and what someone with the file can do.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Migrate_CreatesTheFileAndRecordsEveryMigration()
    {
        using var store = _database.Open(_time);

        await store.MigrateAsync(Ct);

        Assert.True(File.Exists(_database.Path));
        Assert.Equal(SqliteMigrations.Known.Select(m => (long)m.Version), Query<long>("SELECT version FROM schema_migrations ORDER BY version"));
        Assert.Contains(1L, Query<long>("SELECT version FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_OnANewFile_Uses8KiBPages()
    {
        using var store = _database.Open(_time);

        await store.MigrateAsync(Ct);

        Assert.Equal(8192, Query<long>("PRAGMA page_size").Single());
    }

    [Fact]
    public async Task Migrate_OnAFileWithSmallerPages_KeepsThemAndWorks()
    {
        // A database made before 8 KiB pages (or by another tool) keeps its page size: SQLite ignores the pragma once
        // the file has content, and the store must neither fail nor rebuild it.
        Directory.CreateDirectory(Path.GetDirectoryName(_database.Path)!);
        Execute("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE made_earlier (x INTEGER)");
        using var store = _database.Open(_time);

        await store.MigrateAsync(Ct);
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct);

        Assert.Equal(4096, Query<long>("PRAGMA page_size").Single());
        Assert.Equal(workspace, await store.FindWorkspaceAsync("acme", Ct));
    }

    [Fact]
    public async Task Migrate_AgainAndAfterReopening_AppliesNothingTwice()
    {
        using (var first = _database.Open(_time))
        {
            await first.MigrateAsync(Ct);
            await first.MigrateAsync(Ct);
        }

        _time.Advance(TimeSpan.FromDays(1));
        using var second = _database.Open(_time);
        await second.MigrateAsync(Ct);

        Assert.Equal(SqliteMigrations.Known.Count, Query<long>("SELECT count(*) FROM schema_migrations").Single());
        Assert.Equal(_time.GetUtcNow().AddDays(-1), DateTimeOffset.Parse(Query<string>("SELECT min(applied_at) FROM schema_migrations").Single(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Migrate_WhenTheDatabaseIsNewerThanThisBuild_Refuses()
    {
        using (var store = _database.Open(_time))
        {
            await store.MigrateAsync(Ct);
        }

        Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 'x')");
        using var reopened = _database.Open(_time);

        await Assert.ThrowsAsync<InvalidOperationException>(() => reopened.MigrateAsync(Ct));
    }

    [Fact]
    public async Task Migrate_ToTeams_MakesEveryTeamPeopleHadAPullTeamOfItsWorkspace()
    {
        string ws;
        string other;
        using (var before = _database.Open(_time))
        {
            await before.MigrateAsync(Ct);
            ws = (await before.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
            other = (await before.EnsureWorkspaceAsync("globex", Actor.Cli("ops"), Ct)).Id;
            await before.AddUserAsync(new NewUser(ws, "ada@example.com", "Ada", UserRole.Reviewer, ["support", "billing"], "hash"), Actor.Cli("ops"), Ct);
            await before.AddUserAsync(new NewUser(ws, "max@example.com", "Max", UserRole.Reviewer, ["support"], "hash"), Actor.Cli("ops"), Ct);
            await before.AddUserAsync(new NewUser(other, "bea@example.com", "Bea", UserRole.Reviewer, ["sales"], "hash"), Actor.Cli("ops"), Ct);
        }

        // Back to version 3, as a database made before teams were objects: people in teams, and nothing else.
        Execute("""
            DELETE FROM schema_migrations WHERE version = 4; DROP TABLE teams; DROP TABLE routing_settings;
            ALTER TABLE users DROP COLUMN skills; ALTER TABLE users DROP COLUMN languages; ALTER TABLE users DROP COLUMN capacity;
            ALTER TABLE users DROP COLUMN presence; ALTER TABLE users DROP COLUMN presence_at; ALTER TABLE users DROP COLUMN last_seen_at;
            """);
        using var after = _database.Open(_time);
        await after.MigrateAsync(Ct);

        var teams = await after.ListTeamsAsync(ws, Ct);
        Assert.Equal(["billing", "support"], teams.Select(t => t.Name));
        Assert.All(teams, t => Assert.Equal((Core.Routing.AssignmentMode.Pull, t.Name, TimeSpan.FromSeconds(30)), (t.Mode, t.DisplayName, t.AcceptTimeout)));
        Assert.Equal(["sales"], (await after.ListTeamsAsync(other, Ct)).Select(t => t.Name));
        var ada = await after.FindUserByEmailAsync("ada@example.com", Ct);
        Assert.Equal((5, 0, Core.Routing.Presence.Offline), (ada!.Capacity, ada.Skills.Count, (await after.GetPresenceAsync(ws, ada.Id, Ct))!.Chosen));
    }

    [Fact]
    public async Task Migrate_ToTheDecisionLedger_FillsItFromTheCasesPeopleDecidedBefore()
    {
        string ws;
        string decided;
        var person = new Actor("user", "usr_ada", "Ada");
        using (var before = _database.Open(_time))
        {
            await before.MigrateAsync(Ct);
            ws = (await before.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
            var a = (await before.CreateCaseAsync(NewCase(ws) with { Content = new CaseContent { Kind = CaseKind.Reply, Summary = "Broken kettle", Proposal = new Proposal("Refunded.", null, 0.6) } }, Ct)).Case;
            await before.CreateCaseAsync(NewCase(ws), Ct);
            await before.DecideCaseAsync(ws, a.Id, new Decision { Verdict = Verdict.Reject, ProposalDigest = new string('a', 64), DecidedBy = person, DecidedAt = _time.GetUtcNow() }, CaseStatus.Rejected, Ct);
            decided = a.Id;
        }

        // Back to version 8, as a database made before the ledger: decided cases, and no ledger.
        Execute("DELETE FROM schema_migrations WHERE version >= 9; DROP TABLE audit_tree; DROP INDEX ix_cases_pickups; DROP INDEX ix_audit_expired; DROP TABLE daily_totals; DROP TABLE daily_totals_position; DROP TABLE decision_embeddings; DROP TABLE qa_checks; DROP TRIGGER decisions_fts_insert; DROP TABLE decisions_fts_vocab; DROP TABLE decisions_fts; DROP TABLE decisions;");
        using var after = _database.Open(_time);
        await after.MigrateAsync(Ct);

        var record = Assert.Single((await after.ListDecisionsAsync(ws, DateTimeOffset.MinValue, cancellationToken: Ct)).Records);
        Assert.Equal((decided, Verdict.Reject, person.Id), (record.CaseId, record.Verdict, record.DecidedBy));
        var found = await after.FindPrecedentsAsync(ws, new Learning.PrecedentQuery(["kettle"], null, null), Ct);
        Assert.Equal([decided], found.Select(static m => m.Record.CaseId));
    }

    [Fact]
    public async Task Migrate_ToDailyTotals_RollsUpTheCasesClosedBefore()
    {
        string ws;
        using (var before = _database.Open(_time))
        {
            await before.MigrateAsync(Ct);
            ws = (await before.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
            var a = (await before.CreateCaseAsync(NewCase(ws), Ct)).Case;
            await before.CreateCaseAsync(NewCase(ws), Ct);
            await before.DecideCaseAsync(ws, a.Id, new Decision { Verdict = Verdict.Reject, ProposalDigest = new string('a', 64), DecidedBy = new Actor("user", "usr_ada", "Ada"), DecidedAt = _time.GetUtcNow().AddMinutes(3) }, CaseStatus.Rejected, Ct);
        }

        // Back to version 11, as a database made before the roll-ups.
        Execute("DELETE FROM schema_migrations WHERE version >= 12; DROP TABLE audit_tree; DROP INDEX ix_cases_pickups; DROP INDEX ix_audit_expired; DROP TABLE daily_totals; DROP TABLE daily_totals_position;");
        using var after = _database.Open(_time);
        await after.MigrateAsync(Ct);

        var unrolled = await after.GetOverviewFactsAsync(ws, DateTimeOffset.MinValue, Ct);
        Assert.Equal((0, 2), (unrolled.ClosedDays.Count, unrolled.Records.Count));
        while (await after.SealAndRollUpAsync(100, Ct) > 0)
        {
        }

        var facts = await after.GetOverviewFactsAsync(ws, DateTimeOffset.MinValue, Ct);
        var day = Assert.Single(facts.ClosedDays);
        Assert.Equal((1, 1, 1), (day.Counts.Submitted, day.DecisionsByVerdict[Verdict.Reject], Assert.Single(facts.Records).Status == CaseStatus.Pending ? 1 : 0));
        Assert.Equal(TimeSpan.FromMinutes(3), day.TimesToDecision.NearestRank(50));
    }

    [Fact]
    public async Task Open_UsesWriteAheadLogging()
    {
        using var store = _database.Open(_time);
        await store.MigrateAsync(Ct);

        Assert.Equal("wal", Query<string>("PRAGMA journal_mode").Single());
    }

    [Fact]
    public async Task Data_SurvivesReopening_AndTheChainContinues()
    {
        string workspaceId;
        HandoffCase created;
        using (var store = _database.Open(_time))
        {
            await store.MigrateAsync(Ct);
            workspaceId = (await store.EnsureWorkspaceAsync("acme", Actor.System, Ct)).Id;
            created = (await store.CreateCaseAsync(NewCase(workspaceId), Ct)).Case;
        }

        using var reopened = _database.Open(_time);
        await reopened.MigrateAsync(Ct);
        await reopened.ClaimCaseAsync(workspaceId, created.Id, Actor.Cli("ops"), _time.GetUtcNow(), Ct);

        Assert.Equal(created.Id, (await reopened.GetCaseAsync(workspaceId, created.Id, Ct))?.Id);
        var audit = await reopened.ReadSealedAuditAsync(0, 100, Ct);
        Assert.Equal(["workspace.created", "case.created", "case.claimed"], audit.Select(e => e.Action));
        Assert.True(AuditChain.Verify(audit).Intact);
    }

    [Fact]
    public async Task TwoStoresOnOneFile_TakingTurns_KeepOneUnbrokenChain()
    {
        // The CLI writes (keys, policies) to the file a running server holds: the server must not chain onto a stale head.
        using var server = _database.Open(_time);
        using var cli = _database.Open(_time);
        await server.MigrateAsync(Ct);
        var workspace = await server.EnsureWorkspaceAsync("acme", Actor.System, Ct);

        await cli.PublishPolicyAsync(workspace.Id, "rules: []", Actor.Cli("ops"), Ct);
        await server.PublishPolicyAsync(workspace.Id, "rules: [a]", Actor.System, Ct);
        await cli.SetAutonomyAsync(workspace.Id, false, null, Actor.Cli("ops"), Ct);
        await server.CreateCaseAsync(NewCase(workspace.Id), Ct);

        var audit = await server.ReadSealedAuditAsync(0, 100, Ct);
        Assert.Equal(5, audit.Count);
        Assert.Equal(AuditVerification.Success(5), AuditChain.Verify(audit));
    }

    [Fact]
    public async Task AuditRows_CannotBeUpdatedOrDeletedThroughSql()
    {
        using var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);

        Assert.Throws<SqliteException>(() => Execute("UPDATE audit SET data = '{}' WHERE seq = 1"));
        Assert.Throws<SqliteException>(() => Execute("DELETE FROM audit WHERE seq = 1"));
    }

    [Theory]
    [InlineData("data", "'{\"name\":\"evil\"}'")]
    [InlineData("actor_name", "'Mallory'")]
    [InlineData("at", "'2024-01-01T00:00:00.0000000+00:00'")]
    [InlineData("hash", "'" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + "'")]
    public async Task Verify_AfterAStoredEntryIsAlteredOnDisk_FailsAtThatEntry(string column, string value)
    {
        using var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        for (var i = 0; i < 5; i++)
        {
            await store.CreateCaseAsync(NewCase(workspace.Id), Ct);
        }

        // Whoever has the file can drop the guard; the chain is what gives them away.
        Execute($"DROP TRIGGER audit_no_update; UPDATE audit SET {column} = {value} WHERE seq = 4");

        var result = AuditChain.Verify(await store.ReadSealedAuditAsync(0, 100, Ct));
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadSequence);
    }

    [Fact]
    public async Task Verify_AfterAStoredEntryIsDeletedOnDisk_FailsAtThatEntry()
    {
        using var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        for (var i = 0; i < 5; i++)
        {
            await store.CreateCaseAsync(NewCase(workspace.Id), Ct);
        }

        Execute("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3");

        var result = AuditChain.Verify(await store.ReadSealedAuditAsync(0, 100, Ct));
        Assert.Equal(3, result.FirstBadSequence);
    }

    [Fact]
    public async Task Cases_KeepTheirFieldsInQueryableColumns()
    {
        using var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        var created = (await store.CreateCaseAsync(NewCase(workspace.Id) with { ExpiresAt = _time.GetUtcNow().AddHours(1) }, Ct)).Case;

        var row = Query<string>($"SELECT status || '|' || team || '|' || outcome || '|' || expires_at FROM cases WHERE id = '{created.Id}'").Single();

        Assert.Equal("pending|support|review|2025-06-02T09:00:00.0000000+00:00", row);
    }

    private HandoffCase NewCase(string workspaceId) => new()
    {
        Id = $"case_{Guid.NewGuid():N}",
        WorkspaceId = workspaceId,
        Content = new CaseContent { Kind = CaseKind.Reply, Proposal = new Proposal("Hello", null, 0.9) },
        Evaluation = new Evaluation(Outcome.Review, [], "support", Priority.Normal, 0.8, 1),
        Status = CaseStatus.Pending,
        CreatedAt = _time.GetUtcNow(),
    };

    private List<T> Query<T>(string sql)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<T>();
        while (reader.Read())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    private void Execute(string sql)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
