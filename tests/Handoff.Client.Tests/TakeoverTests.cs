using System.Net;
using System.Net.Http.Json;
using Handoff.Client.Tests.Infrastructure;

namespace Handoff.Client.Tests;

public sealed class TakeoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAgentRelayingATakeover_PostsTheCustomer_GetsThePersonsReplies_AndResumesWithTheHandback()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), Ct);
        var waiting = client.WaitForDecisionAsync(submitted, cancellationToken: Ct);
        await TakeOverAsync(server, submitted.Id);
        // A long-poll already parked wakes at the takeover; one that started after it learns it when it runs out.
        await Eventually.AdvanceUntilAsync(server.Time, waiting);

        var takenOver = await Assert.ThrowsAsync<CaseTakenOverException>(() => waiting);
        Assert.Equal((submitted.Id, "Rita Reviewer"), (takenOver.CaseId, takenOver.TakenBy!.Name));

        var refused = await Assert.ThrowsAsync<HandoffProblemException>(() => client.PostAgentMessageAsync(submitted.Id, "I refunded you.", Ct));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        var posted = await client.PostCustomerMessageAsync(submitted.Id, "Hello? Is a person there?", Ct);
        Assert.Equal((1, CaseMessageRole.Customer), (posted.Number, posted.Role));

        var replies = client.WaitForMessagesAsync(submitted.Id, posted.Number, Ct);
        await PostAsync(server, $"/v1/cases/{submitted.Id}/messages", new { role = "person", text = "Yes, Rita here." });
        var reply = await replies;
        Assert.Equal(CaseStatus.TakenOver, reply.Status);
        Assert.True(reply.IsOpen);
        var message = Assert.Single(reply.Messages);
        Assert.Equal((2, CaseMessageRole.Person, "Yes, Rita here.", "Rita Reviewer"), (message.Number, message.Role, message.Text, message.By.Name));
        Assert.Equal(2, reply.Last);

        await PostAsync(server, $"/v1/cases/{submitted.Id}/handback", new { note = "Refund agreed; confirm and close." });
        var ended = await client.WaitForMessagesAsync(submitted.Id, reply.Last, Ct);
        Assert.False(ended.IsOpen);
        var decided = await client.WaitForDecisionAsync(submitted, cancellationToken: Ct);

        Assert.True(decided.IsHandedBack);
        Assert.False(decided.IsApproved);
        Assert.Equal((Verdict.HandBack, "Refund agreed; confirm and close."), (decided.Decision.Verdict, decided.Decision.Text));
        Assert.Null(decided.Decision.Result);
        Assert.Equal(["Hello? Is a person there?", "Yes, Rita here."], decided.Transcript!.Select(m => m.Text));
        Assert.Equal(2, (await client.GetCaseAsync(submitted.Id, Ct)).Transcript.Count);
    }

    [Fact]
    public async Task WaitForDecision_KeepingOnThroughATakeover_EndsWithTheHandback()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), Ct);
        var waiting = client.WaitForDecisionAsync(submitted, new WaitOptions { KeepWaitingWhenTakenOver = true }, Ct);
        await TakeOverAsync(server, submitted.Id);
        await PostAsync(server, $"/v1/cases/{submitted.Id}/handback", new { note = "Nothing needed." });

        var decided = await waiting;

        Assert.Equal(CaseStatus.HandedBack, decided.Status);
    }

    [Fact]
    public async Task StreamEvents_CarryTheTakeover_EachMessageWithItsText_AndTheHandback()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), Ct);
        var events = EventCollector.Start(client, submitted.Id);
        await TakeOverAsync(server, submitted.Id);
        await client.PostCustomerMessageAsync(submitted.Id, "Still there?", Ct);
        await PostAsync(server, $"/v1/cases/{submitted.Id}/messages", new { role = "person", text = "I am." });
        await PostAsync(server, $"/v1/cases/{submitted.Id}/handback", new { note = "Over to you." });

        await events.Completion;

        var seen = events.Seen;
        Assert.Equal(["case.created", CaseEvent.TakenOver, CaseEvent.MessageAdded, CaseEvent.MessageAdded, CaseEvent.HandedBack], seen.Select(e => e.Action));
        Assert.Equal([(CaseMessageRole.Customer, "Still there?"), (CaseMessageRole.Person, "I am.")],
            seen.Where(e => e.Action == CaseEvent.MessageAdded).Select(e => (e.MessageRole!.Value, e.MessageText!)));
        Assert.Null(seen[0].MessageText);
    }

    private static Task TakeOverAsync(ClientTestServer server, string caseId) => PostAsync(server, $"/v1/cases/{caseId}/takeover", null);

    private static async Task PostAsync(ClientTestServer server, string path, object? body)
    {
        using var response = body is null
            ? await server.Reviewer().PostAsync(path, null, Ct)
            : await server.Reviewer().PostAsJsonAsync(path, body, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }
}
