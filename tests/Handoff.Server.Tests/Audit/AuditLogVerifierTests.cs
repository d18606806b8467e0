using System.Security.Cryptography;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Server.Audit;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Audit;

public sealed class AuditLogVerifierTests
{
    [Fact]
    public async Task CheckAsync_AfterCasesTakeEveryPathThroughTheApi_FindsNothingWrong()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        await TestCases.SubmitAsync(agent, TestCases.Auto());
        var edited = await TestCases.SubmitPendingAsync(agent);
        (await reviewer.PostAsync($"/v1/cases/{edited}/claim", null, TestContext.Current.CancellationToken)).Dispose();
        (await TestCases.DecideAsync(reviewer, edited, new { verdict = "edit", arguments = new { orderId = "B-1", amount = 900 }, note = "partial" })).Dispose();
        var released = await TestCases.SubmitPendingAsync(agent);
        (await reviewer.PostAsync($"/v1/cases/{released}/claim", null, TestContext.Current.CancellationToken)).Dispose();
        (await reviewer.PostAsync($"/v1/cases/{released}/release", null, TestContext.Current.CancellationToken)).Dispose();
        (await TestCases.DecideAsync(reviewer, await TestCases.SubmitPendingAsync(agent), new { verdict = "reject", text = "No." })).Dispose();
        (await TestCases.DecideAsync(reviewer, await TestCases.SubmitPendingAsync(agent), new { verdict = "respond", text = "Call me." })).Dispose();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tree = new AuditTreeCheck();
        var (_, last) = await AuditLogVerifier.VerifyAsync(server.Store, TestContext.Current.CancellationToken, tree: tree);
        var checkpoint = AuditCheckpoints.Sign(last, await tree.RootAsync(), server.Time.GetUtcNow(), key);
        await TestCases.SubmitPendingAsync(agent);

        var report = await AuditLogVerifier.CheckAsync(server.Store, checkpoint, TestContext.Current.CancellationToken);

        Assert.Empty(report.Problems);
        Assert.True(report.Intact);
        Assert.Equal(6, report.CasesChecked);
    }
}

public sealed class AuditLogVerifierOnPostgresTests
{
    [Fact]
    public async Task CheckAsync_WithEntriesNotSealedYet_VerifiesTheSealedChain_ReplaysTheRestIntoTheCases_AndReportsTheTail()
    {
        var ct = TestContext.Current.CancellationToken;
        using var schema = new PostgresSchema();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));
        using var store = new Storage.Postgres.PostgresHandoffStore(Storage.Postgres.PostgresConnection.CreateDataSource(schema.Store), time, ownsDataSource: true);
        await store.MigrateAsync(ct);
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, ct);
        var created = (await store.CreateCaseAsync(Handoff.Tests.Shared.Cases.Pending(workspace.Id, time.GetUtcNow()), ct)).Case;
        while (await store.SealAuditAsync(1000, ct) > 0)
        {
        }

        time.Advance(TimeSpan.FromSeconds(5));
        var ada = new Actor("user", "usr_ada", "Ada");
        await store.ClaimCaseAsync(workspace.Id, created.Id, ada, time.GetUtcNow(), ct);
        await store.DecideCaseAsync(workspace.Id, created.Id, Handoff.Tests.Shared.Cases.Approval(ada, time.GetUtcNow()), CaseStatus.Approved, ct);

        var report = await AuditLogVerifier.CheckAsync(store, null, ct);

        // The claim and the decision wait for a sealer: the chain ends before them, the case is checked with them.
        Assert.Empty(report.Problems);
        Assert.True(report.Intact);
        Assert.Equal(1, report.CasesChecked);
        Assert.Equal(new Storage.UnsealedAudit(2, time.GetUtcNow()), report.Unsealed);
        Assert.Equal(report.Last!.Sequence, report.Chain.Checked);
        Assert.Equal(Core.Audit.AuditChain.FormatTime(time.GetUtcNow().AddSeconds(-5)), Core.Audit.AuditChain.FormatTime(report.Last.At));
    }
}
