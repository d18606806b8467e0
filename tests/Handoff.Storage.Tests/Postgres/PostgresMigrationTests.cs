using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Storage.Tests.Postgres;

/// <summary>Upgrading a PostgreSQL database that holds data, one version at a time.</summary>
public sealed class PostgresMigrationTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DecisionLedgerBackfill_OfMoreCasesThanNpgsqlPreparesAfter_RecordsEachCaseWithItsOwnDecision()
    {
        // The backfill inserts row after row with the same statement, which Npgsql prepares on its fifth run; a command
        // reused with only its parameters replaced would then insert the fifth row's values again (npgsql/npgsql#3850).
        using var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var ws = (await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
        var expected = new List<(string, string?)>();
        for (var i = 0; i < 8; i++)
        {
            var c = (await store.CreateCaseAsync(Handoff.Tests.Shared.Cases.Pending(ws, _time.GetUtcNow()), Ct)).Case;
            var person = new Actor(Actor.UserKind, $"usr_{i}", $"Person {i}");
            await store.DecideCaseAsync(ws, c.Id, Handoff.Tests.Shared.Cases.Approval(person, _time.GetUtcNow()), CaseStatus.Approved, Ct);
            expected.Add((c.Id, person.Id));
        }

        _database.Execute("DELETE FROM decisions");
        await using (var source = Storage.Postgres.PostgresConnection.CreateDataSource(_database.ConnectionString))
        await using (var connection = await source.OpenConnectionAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            Relational.DecisionLedger.Backfill(connection, transaction);
            await transaction.CommitAsync(Ct);
        }

        var records = (await store.ListDecisionsAsync(ws, DateTimeOffset.MinValue, cancellationToken: Ct)).Records;
        Assert.Equal([.. expected.Order()], records.Select(static r => (r.CaseId, r.DecidedBy)).Order().ToList());
    }

    [Fact]
    public async Task Migrate_ToTeams_MakesEveryTeamPeopleHadAPullTeamOfItsWorkspace()
    {
        var before = _database.Open(_time);
        await before.MigrateAsync(Ct);
        var ws = (await before.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
        var other = (await before.EnsureWorkspaceAsync("globex", Actor.Cli("ops"), Ct)).Id;
        await before.AddUserAsync(new NewUser(ws, "ada@example.com", "Ada", UserRole.Reviewer, ["support", "billing"], "hash"), Actor.Cli("ops"), Ct);
        await before.AddUserAsync(new NewUser(ws, "max@example.com", "Max", UserRole.Reviewer, ["support"], "hash"), Actor.Cli("ops"), Ct);
        await before.AddUserAsync(new NewUser(other, "bea@example.com", "Bea", UserRole.Reviewer, ["sales"], "hash"), Actor.Cli("ops"), Ct);
        before.Dispose();

        // Back to version 2, as a database made before teams were objects: people in teams, and nothing else.
        _database.Execute("""
            DELETE FROM schema_migrations WHERE version = 3; DROP TABLE teams; DROP TABLE routing_settings;
            ALTER TABLE users DROP COLUMN skills, DROP COLUMN languages, DROP COLUMN capacity,
                DROP COLUMN presence, DROP COLUMN presence_at, DROP COLUMN last_seen_at;
            """);
        var after = _database.Open(_time);
        await after.MigrateAsync(Ct);

        var teams = await after.ListTeamsAsync(ws, Ct);
        Assert.Equal(["billing", "support"], teams.Select(t => t.Name));
        Assert.All(teams, t => Assert.Equal((AssignmentMode.Pull, t.Name, TimeSpan.FromSeconds(30)), (t.Mode, t.DisplayName, t.AcceptTimeout)));
        Assert.Equal(["sales"], (await after.ListTeamsAsync(other, Ct)).Select(t => t.Name));
        var ada = await after.FindUserByEmailAsync("ada@example.com", Ct);
        Assert.Equal((5, 0, Presence.Offline), (ada!.Capacity, ada.Skills.Count, (await after.GetPresenceAsync(ws, ada.Id, Ct))!.Chosen));
    }
}
