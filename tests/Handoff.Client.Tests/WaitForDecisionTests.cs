using System.Text.Json.Nodes;
using Handoff.Client.Tests.Infrastructure;

namespace Handoff.Client.Tests;

public sealed class WaitForDecisionTests
{
    [Fact]
    public async Task WaitForDecision_WhenAReviewerDecides_ReturnsTheVerifiedDecision()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        Assert.Equal(CaseStatus.Pending, submitted.Case.Status);
        Assert.Equal(Cases.RefundProposalDigest, submitted.ProposalDigest);

        var waiting = client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new
        {
            verdict = "edit",
            text = "I have issued a refund of 900 EUR.",
            arguments = new { orderId = "B-11872", amount = 900 },
            note = "Partial refund: the base is fine.",
        });
        var decided = await waiting;

        Assert.Equal(submitted.Id, decided.CaseId);
        Assert.True(decided.IsApproved);
        Assert.Equal(Verdict.Edit, decided.Decision.Verdict);
        Assert.Equal(900, decided.Decision.Result!.Action!.Arguments!["amount"]!.GetValue<int>());
        Assert.Equal("Partial refund: the base is fine.", decided.Decision.Note);
        Assert.Equal(Cases.RefundProposalDigest, decided.Decision.ProposalDigest);
        Assert.Equal(ProposalDigest.Compute(decided.Decision.Result), decided.Decision.ResultDigest);
        Assert.Contains(decided.Decision.Changes, c => c.Field == "arguments.amount" && c.To!.GetValue<int>() == 900);
        Assert.Equal("Rita Reviewer", decided.Decision.DecidedBy!.Name);
        Assert.False(decided.Decision.TimedOut);
    }

    [Fact]
    public async Task WaitForDecision_WhenTheLongPollRunsOut_AsksAgainUntilTheDecision()
    {
        await using var server = await ClientTestServer.StartAsync();
        var recorder = new RecordingHandler();
        var client = server.Agent(o => o.LongPollWait = TimeSpan.FromSeconds(1), handler: recorder);
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);

        var waiting = client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken);
        // Each step of the server's clock ends the long-poll in flight (202), and the client asks again.
        for (var i = 0; i < 500 && recorder.Count("/decision?wait=1") < 4; i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(recorder.Count("/decision?wait=1") >= 4, "the long-poll was not renewed");
        Assert.False(waiting.IsCompleted);
        await server.DecideAsync(submitted.Id, new { verdict = "approve" });
        var decided = await waiting;

        Assert.Equal(Verdict.Approve, decided.Decision.Verdict);
        Assert.Equal(submitted.ProposalDigest, decided.Decision.ResultDigest);
        Assert.Empty(recorder.Failures);
    }

    [Fact]
    public async Task WaitForDecision_OnACaseThePolicyApproved_ReturnsThePolicysDecisionAtOnce()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.OpeningHours(), TestContext.Current.CancellationToken);
        Assert.Equal(PolicyOutcome.Auto, submitted.Case.Outcome);
        Assert.Equal("637ed52293c38dbcb217a902a2a79c6f1f2f12246671ac7b27c46ec49911f3e7", submitted.ProposalDigest);

        var decided = await client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(decided.IsApproved);
        Assert.Equal("policy", decided.Decision.DecidedBy!.Kind);
        Assert.Equal("We open at 9.", decided.Decision.Result!.Text);
    }

    [Fact]
    public async Task WaitForDecision_WhenTheCaseExpires_ReturnsTheTimeoutDecision()
    {
        await using var server = await ClientTestServer.StartAsync();

        var decided = await WaitThroughExpiryAsync(server, TimeoutEffect.Reject);

        Assert.Equal(CaseStatus.Rejected, decided.Status);
        Assert.False(decided.IsApproved);
        Assert.True(decided.Decision.TimedOut);
        Assert.Null(decided.Decision.DecidedBy);
        Assert.Null(decided.Decision.Result);
        Assert.Equal("Nobody decided before the case expired.", decided.Decision.Text);
    }

    [Fact]
    public async Task WaitForDecision_WhenTheCaseExpiresToApprove_ReturnsTheProposalAsTheResult()
    {
        await using var server = await ClientTestServer.StartAsync();

        var decided = await WaitThroughExpiryAsync(server, TimeoutEffect.Approve);

        Assert.True(decided.IsApproved);
        Assert.True(decided.Decision.TimedOut);
        Assert.Equal(Cases.RefundProposalDigest, decided.Decision.ResultDigest);
    }

    [Fact]
    public async Task WaitForDecision_WhenTheCaseEscalates_ThrowsCaseEscalated()
    {
        await using var server = await ClientTestServer.StartAsync();

        var escalated = await Assert.ThrowsAsync<CaseEscalatedException>(() => WaitThroughExpiryAsync(server, TimeoutEffect.Escalate));

        Assert.Equal(CaseStatus.Escalated, (await server.Agent().GetCaseAsync(escalated.CaseId, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task WaitForDecision_KeepingOnWhenEscalated_ReturnsTheDecisionThatFollows()
    {
        await using var server = await ClientTestServer.StartAsync();
        var recorder = new RecordingHandler();
        var client = server.Agent(handler: recorder);
        var submitted = await client.SubmitCaseAsync(Cases.Refund(TimeSpan.FromMinutes(2), TimeoutEffect.Escalate), TestContext.Current.CancellationToken);

        var waiting = client.WaitForDecisionAsync(
            submitted, new WaitOptions { KeepWaitingWhenEscalated = true }, TestContext.Current.CancellationToken);
        var escalation = Eventually.TrueAsync(() => recorder.Count("/decision?wait=") >= 2, "the wait did not go on after the escalation");
        await Eventually.AdvanceUntilAsync(server.Time, escalation, TimeSpan.FromSeconds(5));
        await escalation;
        Assert.False(waiting.IsCompleted);

        await server.DecideAsync(submitted.Id, new { verdict = "reject", text = "Outside the return window." });
        var decided = await waiting;

        Assert.Equal(CaseStatus.Rejected, decided.Status);
        Assert.False(decided.Decision.TimedOut);
        Assert.Equal("Outside the return window.", decided.Decision.Text);
    }

    [Fact]
    public async Task WaitForDecision_WhenCancelled_ThrowsOperationCanceled()
    {
        await using var server = await ClientTestServer.StartAsync();
        var recorder = new RecordingHandler();
        var client = server.Agent(handler: recorder);
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var waiting = client.WaitForDecisionAsync(submitted, cancellationToken: cancellation.Token);
        await Eventually.TrueAsync(() => recorder.Count("/decision") == 1, "the wait never asked the server");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task WaitForDecision_WhenCancelledWhileWaitingToRetry_ThrowsOperationCanceled()
    {
        await using var server = await ClientTestServer.StartAsync();
        var recorder = new RecordingHandler();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var client = server.Agent(time: clock, handler: recorder);
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.StopAsync();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // Nobody listens any more: the first try fails and the client pauses on its (frozen) clock before the next.
        var waiting = client.WaitForDecisionAsync(submitted, cancellationToken: cancellation.Token);
        await Eventually.TrueAsync(() => !recorder.Failures.IsEmpty, "the wait never failed to connect");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, recorder.Count("/decision"));
    }

    [Fact]
    public async Task WaitForDecision_OnAnUnknownCase_ThrowsNotFound()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();

        var problem = await Assert.ThrowsAsync<HandoffProblemException>(
            () => client.WaitForDecisionAsync("cs_nope", new Proposal { Text = "x" }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, problem.Status);
        Assert.Equal("No case 'cs_nope' in this workspace.", problem.Detail);
    }

    [Fact]
    public async Task WaitForDecision_ByCaseIdAndProposal_ChecksAgainstThatProposal()
    {
        await using var server = await ClientTestServer.StartAsync();
        var submitted = await server.Agent().SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "choose", option = 0 });
        // Another process that kept only the id and the proposal it sent.
        var later = server.Agent();

        var decided = await later.WaitForDecisionAsync(submitted.Id, Cases.RefundProposal(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Verdict.Choose, decided.Decision.Verdict);
        Assert.Equal(0, decided.Decision.Option);
        Assert.Equal("ship_replacement", decided.Decision.Result!.Action!.Name);
        Assert.Equal(JsonValue.Create("B-11872").ToJsonString(), decided.Decision.Result.Action.Arguments!["orderId"]!.ToJsonString());
    }

    /// <summary>Submits a case that expires in two minutes with <paramref name="onTimeout"/>, and waits while the server's clock runs past it.</summary>
    private static async Task<CaseDecision> WaitThroughExpiryAsync(ClientTestServer server, TimeoutEffect onTimeout)
    {
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(TimeSpan.FromMinutes(2), onTimeout), TestContext.Current.CancellationToken);
        var waiting = client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken);
        await Eventually.AdvanceUntilAsync(server.Time, waiting, TimeSpan.FromSeconds(5));
        return await waiting;
    }
}
