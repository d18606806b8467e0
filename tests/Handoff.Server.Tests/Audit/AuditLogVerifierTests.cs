using System.Security.Cryptography;
using Handoff.Core.Audit;
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
        var (_, last) = await AuditLogVerifier.VerifyAsync(server.Store, TestContext.Current.CancellationToken);
        var checkpoint = AuditCheckpoints.Sign(last, server.Time.GetUtcNow(), key);
        await TestCases.SubmitPendingAsync(agent);

        var report = await AuditLogVerifier.CheckAsync(server.Store, checkpoint, TestContext.Current.CancellationToken);

        Assert.Empty(report.Problems);
        Assert.True(report.Intact);
        Assert.Equal(6, report.CasesChecked);
    }
}
