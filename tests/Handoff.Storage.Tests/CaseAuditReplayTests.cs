using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Storage.Tests.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Storage.Tests;

/// <summary>Replays a real store's audit log and checks its cases: every path a case can take must replay clean.</summary>
public sealed class CaseAuditReplayTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly Actor Agent = new("key", "key_agent", "support-bot");
    private static readonly Actor Alice = new("user", "usr_alice", "Alice");

    private readonly TemporaryDatabase _database = new();
    private readonly FakeTimeProvider _time = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryPathACaseCanTake_ReplaysToItsStoredState()
    {
        var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var ws = (await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
        var auto = NewCase(ws, Outcome.Auto);
        await store.CreateCaseAsync(auto with { Status = CaseStatus.Approved, Decision = Decisions.ByPolicy(auto.Content, Outcome.Auto, 1, Start) }, Ct);
        var blocked = NewCase(ws, Outcome.Block);
        await store.CreateCaseAsync(blocked with { Status = CaseStatus.Blocked, Decision = Decisions.ByPolicy(blocked.Content, Outcome.Block, 1, Start) }, Ct);
        foreach (var effect in Enum.GetValues<TimeoutEffect>())
        {
            await store.CreateCaseAsync(NewCase(ws) with { ExpiresAt = Start.AddMinutes(1), OnTimeout = effect }, Ct);
        }

        var claimedThenExpired = NewCase(ws) with { ExpiresAt = Start.AddMinutes(1), OnTimeout = TimeoutEffect.Escalate };
        await store.CreateCaseAsync(claimedThenExpired, Ct);
        await store.ClaimCaseAsync(ws, claimedThenExpired.Id, Alice, Start, Ct);
        var released = NewCase(ws);
        await store.CreateCaseAsync(released, Ct);
        await store.ClaimCaseAsync(ws, released.Id, Alice, Start, Ct);
        await store.ReleaseCaseAsync(ws, released.Id, Alice, Start, Ct);
        foreach (var request in new[] { new DecisionRequest(Verdict.Reject, "No."), new DecisionRequest(Verdict.Respond, "Hello."), new DecisionRequest(Verdict.Choose, Option: 0, Note: "the voucher") })
        {
            var c = (await store.CreateCaseAsync(NewCase(ws), Ct)).Case;
            var made = Decisions.Make(c, request, Alice, Start);
            await store.DecideCaseAsync(ws, c.Id, made.Decision!, made.Status, Ct);
        }

        await store.ExpireDueCasesAsync(Start.AddMinutes(1), 100, Ct);

        Assert.Empty(await ProblemsAsync(store));
    }

    [Fact]
    public async Task TakeoversWithTheirTranscripts_ReplayToTheirStoredState()
    {
        var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var ws = (await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
        var handedBack = (await store.CreateCaseAsync(NewCase(ws), Ct)).Case;
        await store.AddCaseMessageAsync(ws, handedBack.Id, CaseMessageRole.Agent, "One moment.", Agent, Start, Ct);
        await store.TakeOverCaseAsync(ws, handedBack.Id, Alice, Start, Ct);
        await store.AddCaseMessageAsync(ws, handedBack.Id, CaseMessageRole.Customer, "Hello?", Agent, Start, Ct);
        await store.AddCaseMessageAsync(ws, handedBack.Id, CaseMessageRole.Person, "Alice here.", Alice, Start, Ct);
        await store.HandBackCaseAsync(ws, handedBack.Id, Alice, "Sorted; say goodbye.", Start, Ct);
        var released = (await store.CreateCaseAsync(NewCase(ws), Ct)).Case;
        await store.TakeOverCaseAsync(ws, released.Id, Alice, Start, Ct);
        await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(5), new IdleClaimTimeouts(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)), 10, Ct);
        var decided = (await store.CreateCaseAsync(NewCase(ws), Ct)).Case;
        await store.TakeOverCaseAsync(ws, decided.Id, Alice, Start, Ct);
        var made = Decisions.Make(decided, new DecisionRequest(Verdict.Respond, "Done."), Alice, Start);
        await store.DecideCaseAsync(ws, decided.Id, made.Decision!, made.Status, Ct);
        var talking = (await store.CreateCaseAsync(NewCase(ws), Ct)).Case;
        await store.TakeOverCaseAsync(ws, talking.Id, Alice, Start, Ct);
        await store.AddCaseMessageAsync(ws, talking.Id, CaseMessageRole.Customer, "Still there?", Agent, Start, Ct);

        Assert.Empty(await ProblemsAsync(store));
    }

    [Fact]
    public async Task Receipts_ReplayToTheirStoredState_AndOneWhoseDigestWasChangedIsNamed()
    {
        var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var ws = (await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
        var ids = new List<string>();
        foreach (var outcome in (ExecutionOutcome[])[ExecutionOutcome.Executed, ExecutionOutcome.Executed, ExecutionOutcome.Failed])
        {
            var auto = NewCase(ws, Outcome.Auto);
            var created = (await store.CreateCaseAsync(auto with { Status = CaseStatus.Approved, Decision = Decisions.ByPolicy(auto.Content, Outcome.Auto, 1, Start) }, Ct)).Case;
            var digest = ids.Count == 0 ? created.Decision!.ResultDigest : ids.Count == 1 ? new string('0', 64) : null;
            var receipt = new ExecutionReceipt { Outcome = outcome, ResultDigest = digest, Reason = digest is null ? "the refund API said no" : null, At = Start, By = Agent };
            Assert.Equal(Storage.CaseUpdateStatus.Updated, (await store.RecordReceiptAsync(ws, created.Id, receipt, Ct)).Status);
            ids.Add(created.Id);
        }

        Assert.Empty(await ProblemsAsync(store));

        using (var connection = _database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE cases SET document = json_set(document, '$.receipt.resultDigest', '{new string('1', 64)}') WHERE id = '{ids[1]}'";
            command.ExecuteNonQuery();
        }

        var problem = Assert.Single(await ProblemsAsync(store));
        Assert.StartsWith($"case {ids[1]} : stored receipt's digest 1111", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AQaCheck_ChangesNothingTheReplayChecks_AndIsNotABrokenEntry()
    {
        var replay = new CaseAuditReplay();
        AuditEntry Entry(long sequence, string action, string data) => new()
        {
            Sequence = sequence, WorkspaceId = "ws", At = Start, ActorKind = "user", ActorId = "usr_alice", ActorName = "Alice",
            Action = action, Subject = "cs_1", Data = data, PreviousHash = "", Hash = "",
        };

        Assert.Null(replay.Add(Entry(1, "case.created", """{"status":"approved","outcome":"auto","team":"support","policyVersion":1,"proposalDigest":"aa","resultDigest":"aa"}""")));
        Assert.Null(replay.Add(Entry(2, "case.qaChecked", """{"agreed":false,"note":"wrong refund"}""")));
    }

    [Fact]
    public async Task AMessageWhoseTextWasChanged_IsNamed()
    {
        var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var ws = (await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
        var c = (await store.CreateCaseAsync(NewCase(ws), Ct)).Case;
        await store.TakeOverCaseAsync(ws, c.Id, Alice, Start, Ct);
        await store.AddCaseMessageAsync(ws, c.Id, CaseMessageRole.Person, "No refund.", Alice, Start, Ct);
        using (var connection = _database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE cases SET document = json_set(document, '$.transcript[0].text', 'Full refund.') WHERE id = '{c.Id}'";
            command.ExecuteNonQuery();
        }

        var problem = Assert.Single(await ProblemsAsync(store));
        Assert.StartsWith($"case {c.Id} : stored transcript digest ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEscalatedCaseWhosePriorityWasLowered_IsNamed()
    {
        var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var ws = (await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
        var c = NewCase(ws) with { ExpiresAt = Start.AddMinutes(1), OnTimeout = TimeoutEffect.Escalate };
        await store.CreateCaseAsync(c, Ct);
        await store.ExpireDueCasesAsync(Start.AddMinutes(1), 100, Ct);
        using (var connection = _database.Connect())
        using (var command = connection.CreateCommand())
        {
            // Column and document alike, as someone covering their tracks would (a column alone is caught by the store).
            command.CommandText = $"UPDATE cases SET priority = 0, document = json_set(document, '$.evaluation.priority', 'low') WHERE id = '{c.Id}'";
            command.ExecuteNonQuery();
        }

        Assert.Equal([$"case {c.Id} : stored priority low but its audit entries say urgent"], await ProblemsAsync(store));
    }

    [Fact]
    public async Task ReassignedAndTransferredCases_ReplayToTheirHolderAndTeam_AndATeamChangedBehindTheLogIsNamed()
    {
        var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var ws = (await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct)).Id;
        var bob = new Actor("user", "usr_bob", "Bob");
        var reassigned = (await store.CreateCaseAsync(NewCase(ws), Ct)).Case;
        await store.ReassignCaseAsync(ws, reassigned.Id, Alice, bob, "yours", Start, cancellationToken: Ct);
        var toColleague = (await store.CreateCaseAsync(NewCase(ws), Ct)).Case;
        await store.ClaimCaseAsync(ws, toColleague.Id, Alice, Start, Ct);
        await store.TransferCaseAsync(ws, toColleague.Id, bob, null, Alice, null, Start, Alice.Id, Ct);
        var toTeam = (await store.CreateCaseAsync(NewCase(ws), Ct)).Case;
        await store.ClaimCaseAsync(ws, toTeam.Id, Alice, Start, Ct);
        await store.TransferCaseAsync(ws, toTeam.Id, null, "billing", Alice, "billing's", Start, Alice.Id, Ct);
        Assert.Empty(await ProblemsAsync(store));

        using (var connection = _database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE cases SET team = 'vip', document = json_set(document, '$.evaluation.team', 'vip') WHERE id = '{toTeam.Id}'";
            command.ExecuteNonQuery();
        }

        Assert.Equal([$"case {toTeam.Id} : stored team vip but its audit entries say billing"], await ProblemsAsync(store));
    }

    [Fact]
    public void AnEntryWithoutTheFieldItsActionRecords_IsBroken()
    {
        var replay = new CaseAuditReplay();
        var entry = new AuditEntry
        {
            Sequence = 4, WorkspaceId = "ws", At = Start, ActorKind = "key", ActorId = "key_agent", ActorName = "bot",
            Action = "case.created", Subject = "cs_1", Data = """{"outcome":"review"}""", PreviousHash = AuditChain.Genesis, Hash = "",
        };

        Assert.Equal("entry 4 is broken: its data has no status", replay.Add(entry));
        Assert.Equal("entry 4 is broken: its status \"later\" is not a valid status", replay.Add(entry with { Data = """{"status":"later"}""" }));
    }

    public void Dispose() => _database.Dispose();

    private static async Task<List<string>> ProblemsAsync(IHandoffStore store)
    {
        var replay = new CaseAuditReplay();
        var problems = (await store.ReadSealedAuditAsync(0, 1000, Ct)).Select(replay.Add).OfType<string>().ToList();
        foreach (var c in await store.ReadCasesAsync(null, 1000, Ct))
        {
            problems.AddRange(replay.Compare(c));
        }

        problems.AddRange(replay.Unseen());
        return problems;
    }

    private HandoffCase NewCase(string workspaceId, Outcome outcome = Outcome.Review) => new()
    {
        Id = $"cs_{Guid.CreateVersion7():N}",
        WorkspaceId = workspaceId,
        Content = new CaseContent
        {
            Kind = CaseKind.Reply,
            Proposal = new Proposal("Refunded.", null, 0.5),
            Options = [new Proposal("A voucher instead.", null, null)],
        },
        Evaluation = new Evaluation(outcome, [], "support", Priority.High, 0.8, 1),
        Status = CaseStatus.Pending,
        CreatedAt = _time.GetUtcNow(),
        UpdatedAt = _time.GetUtcNow(),
        SubmittedBy = Agent,
    };
}
