using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Handoff.Core.Audit;
using Handoff.Server.Audit;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Audit;

/// <summary><c>GET /v1/cases/{id}/proof</c>: a case's entries with their Merkle proofs, checked as an auditor would.</summary>
public sealed class AuditApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Proof_OfADecidedCase_ChecksAgainstACheckpointOfItsSize_WithoutTheDatabase()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        (await TestCases.DecideAsync(reviewer, id, new { verdict = "approve" })).Dispose();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tree = new AuditTreeCheck();
        var (_, head) = await AuditLogVerifier.VerifyAsync(server.Store, Ct, tree: tree);
        var checkpoint = AuditCheckpoints.Sign(head, await tree.RootAsync(), DateTimeOffset.UnixEpoch, key);
        await TestCases.SubmitPendingAsync(agent); // the log grows past the checkpoint

        var proof = AuditProof.Parse(await agent.GetStringAsync($"/v1/cases/{id}/proof?size={checkpoint.Size}", Ct));
        var now = AuditProof.Parse(await reviewer.GetStringAsync($"/v1/cases/{id}/proof", Ct));

        Assert.Empty(proof.Check());
        Assert.Null(proof.CheckAgainst(checkpoint));
        Assert.Equal(["case.created", "case.decided"], proof.Entries.Select(static e => e.Entry.Action).Where(static a => a != "case.claimed"));
        Assert.All(proof.Entries, e => Assert.Equal(id, e.Entry.Subject));
        Assert.Empty(now.Check());
        Assert.Equal(checkpoint.Size + 1, now.TreeSize);
        Assert.NotNull(now.CheckAgainst(checkpoint));
    }

    [Fact]
    public async Task Proof_OfAnotherWorkspacesCase_IsNotFound_AndABadSizeIsAProblemNamingIt()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        using var foreign = await server.Client(server.OtherAgentKey).GetAsync($"/v1/cases/{id}/proof", Ct);
        using var zero = await agent.GetAsync($"/v1/cases/{id}/proof?size=0", Ct);
        using var words = await agent.GetAsync($"/v1/cases/{id}/proof?size=many", Ct);
        using var beyond = await agent.GetAsync($"/v1/cases/{id}/proof?size=1000000", Ct);
        using var nul = await agent.GetAsync($"/v1/cases/{id}/proof?size=1%00", Ct);
        using var anonymous = await server.Client(null).GetAsync($"/v1/cases/{id}/proof", Ct);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        foreach (var bad in new[] { zero, words, beyond, nul })
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
            Assert.True(errors.TryGetProperty("size", out _), await bad.Content.ReadAsStringAsync(Ct));
        }

        Assert.Contains("The sealed log holds", await beyond.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
