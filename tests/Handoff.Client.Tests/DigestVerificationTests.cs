using System.Text.Json.Nodes;
using Handoff.Client.Tests.Infrastructure;

namespace Handoff.Client.Tests;

/// <summary>The client refuses a decision that is not provably about what the agent proposed (fail closed).</summary>
public sealed class DigestVerificationTests
{
    [Fact]
    public async Task WaitForDecision_WhenTheProposalDigestNamesAnotherProposal_RefusesTheDecision()
    {
        await using var server = await ClientTestServer.StartAsync();
        var other = ProposalDigest.Compute(new Proposal { Text = "Something else entirely." });
        var client = server.Agent(handler: new TamperingHandler(decision => decision["proposalDigest"] = other));
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "approve" });

        var refused = await Assert.ThrowsAsync<ProposalDigestMismatchException>(
            () => client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(submitted.Id, refused.CaseId);
        Assert.Equal("proposalDigest", refused.Digest);
        Assert.Equal(submitted.ProposalDigest, refused.Expected);
        Assert.Equal(other, refused.Actual);
    }

    [Fact]
    public async Task WaitForDecision_WhenAnApprovalCarriesAnotherResultWithItsOwnDigest_RefusesTheDecision()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent(handler: new TamperingHandler(decision =>
        {
            // A consistent lie: the result and its digest agree, but an approval must let through the proposal itself.
            decision["result"]!["action"]!["arguments"]!["amount"] = 14500;
            decision["resultDigest"] = ProposalDigest.Compute(System.Text.Json.JsonSerializer.SerializeToElement(decision["result"]));
        }));
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "approve" });

        var refused = await Assert.ThrowsAsync<ProposalDigestMismatchException>(
            () => client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("resultDigest", refused.Digest);
    }

    [Fact]
    public async Task WaitForDecision_WhenTheResultIsNotWhatItsDigestNames_RefusesTheDecision()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent(handler: new TamperingHandler(decision => decision["result"]!["action"]!["arguments"]!["amount"] = 9000));
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "edit", arguments = new { orderId = "B-11872", amount = 900 } });

        var refused = await Assert.ThrowsAsync<ProposalDigestMismatchException>(
            () => client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("resultDigest", refused.Digest);
    }

    [Fact]
    public async Task WaitForDecision_WhenAnApprovalLosesItsResult_RefusesTheDecision()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent(handler: new TamperingHandler(decision =>
        {
            decision.Remove("result");
            decision.Remove("resultDigest");
        }));
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "approve" });

        await Assert.ThrowsAsync<ProposalDigestMismatchException>(
            () => client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WaitForDecision_ForAnotherProposalThanTheCaseHad_RefusesTheDecision()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "approve" });
        var bigger = Cases.RefundProposal() with
        {
            Action = new ToolCall("issue_refund", new JsonObject { ["orderId"] = "B-11872", ["amount"] = 14500 }),
        };

        var refused = await Assert.ThrowsAsync<ProposalDigestMismatchException>(
            () => client.WaitForDecisionAsync(submitted.Id, bigger, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("proposalDigest", refused.Digest);
        Assert.Equal(Cases.RefundProposalDigest, refused.Actual);
    }
}
