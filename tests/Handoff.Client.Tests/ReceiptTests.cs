using System.Net;
using Handoff.Client.Tests.Infrastructure;

namespace Handoff.Client.Tests;

/// <summary>Execution receipts from the SDK: after the approved result ran, or could not; once, and a retry is no second one.</summary>
public sealed class ReceiptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReportExecuted_SendsTheDigestOfTheApprovedResult_AndARetryIsNotASecondReceipt()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), Ct);
        var waiting = client.WaitForDecisionAsync(submitted, cancellationToken: Ct);
        await server.DecideAsync(submitted.Id, new { verdict = "edit", text = "I have issued a refund of 900 EUR.", arguments = new { orderId = "B-11872", amount = 900 } });
        var decided = await waiting;
        Assert.NotNull((await client.GetCaseAsync(submitted.Id, Ct)).AwaitingExecutionSeconds);

        var reported = await client.ReportExecutedAsync(decided, cancellationToken: Ct);
        var again = await client.ReportExecutedAsync(decided, cancellationToken: Ct);

        Assert.Equal(ExecutionOutcome.Executed, reported.Receipt!.Outcome);
        Assert.Equal(decided.Decision.ResultDigest, reported.Receipt.ResultDigest);
        Assert.False(reported.Receipt.Mismatch);
        Assert.Null(reported.AwaitingExecutionSeconds);
        Assert.Equal(reported.Receipt, again.Receipt);
        var other = await Assert.ThrowsAsync<HandoffProblemException>(() => client.ReportFailedAsync(submitted.Id, "changed my mind", Ct));
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
    }

    [Fact]
    public async Task ReportExecuted_OfSomethingElse_IsAMismatch_AndReportFailed_KeepsWhy()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var first = await client.SubmitCaseAsync(Cases.Refund(), Ct);
        var second = await client.SubmitCaseAsync(Cases.Refund(), Ct);
        await server.DecideAsync(first.Id, new { verdict = "approve" });
        await server.DecideAsync(second.Id, new { verdict = "approve" });
        var firstDecided = await client.WaitForDecisionAsync(first, cancellationToken: Ct);

        var ranOther = await client.ReportExecutedAsync(firstDecided, firstDecided.Decision.Result! with { Text = "I refunded everything twice." }, Ct);
        var failed = await client.ReportFailedAsync(second.Id, "The payment provider was down.", Ct);

        Assert.True(ranOther.Receipt!.Mismatch);
        Assert.Equal((ExecutionOutcome.Failed, "The payment provider was down."), (failed.Receipt!.Outcome, failed.Receipt.Reason));
    }
}
