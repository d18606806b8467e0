using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

public sealed class TakeoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Takeover_TheWholeLoop_CustomerAndPersonExchange_ThenHandbackReachesTheWaitingAgentWithTheTranscript()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        // The agent waits for a decision; the takeover answers it at once (the clock never moves here).
        var waiting = agent.GetAsync($"/v1/cases/{id}/decision?wait=300", Ct);
        await server.UntilSomeoneWaitsOnAsync(id);
        var taken = await ReadAsync(await reviewer.PostAsync($"/v1/cases/{id}/takeover", null, Ct), HttpStatusCode.OK);
        Assert.Equal(("takenOver", "Rita Reviewer"), (taken.GetProperty("status").GetString(), taken.GetProperty("assignedTo").GetProperty("name").GetString()));
        Assert.False(taken.TryGetProperty("expiresAt", out _));
        var standing = await ReadAsync(await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct), HttpStatusCode.Accepted);
        Assert.Equal("takenOver", standing.GetProperty("status").GetString());

        var posted = await ReadAsync(await PostAsync(agent, id, new { role = "customer", text = "Is anyone there?" }), HttpStatusCode.Created);
        Assert.Equal((1, "customer", "Is anyone there?"), (posted.GetProperty("number").GetInt32(), posted.GetProperty("role").GetString(), posted.GetProperty("text").GetString()));

        // The agent long-polls for what comes after its own message; the person's reply wakes it.
        var replies = agent.GetAsync($"/v1/cases/{id}/messages?after=1&wait=300", Ct);
        await server.UntilSomeoneWaitsOnAsync(id);
        Assert.False(replies.IsCompleted);
        await ReadAsync(await PostAsync(reviewer, id, new { role = "person", text = "Rita here, I will sort it out." }), HttpStatusCode.Created);
        var reply = await ReadAsync(await replies.WaitAsync(TimeSpan.FromSeconds(10), Ct), HttpStatusCode.OK);
        Assert.Equal(2, reply.GetProperty("last").GetInt32());
        var message = Assert.Single(reply.GetProperty("messages").EnumerateArray());
        Assert.Equal(("person", "Rita here, I will sort it out.", "Rita Reviewer"), (message.GetProperty("role").GetString(), message.GetProperty("text").GetString(), message.GetProperty("by").GetProperty("name").GetString()));

        var decision = agent.GetAsync($"/v1/cases/{id}/decision?wait=300", Ct);
        await server.UntilSomeoneWaitsOnAsync(id);
        var back = await ReadAsync(await reviewer.PostAsJsonAsync($"/v1/cases/{id}/handback", new { note = "Refund agreed; confirm it to them." }, Ct), HttpStatusCode.OK);
        Assert.Equal("handedBack", back.GetProperty("status").GetString());
        var decided = await ReadAsync(await decision.WaitAsync(TimeSpan.FromSeconds(10), Ct), HttpStatusCode.OK);
        Assert.Equal("handedBack", decided.GetProperty("status").GetString());
        Assert.Equal(("handBack", "Refund agreed; confirm it to them."), (decided.GetProperty("decision").GetProperty("verdict").GetString(), decided.GetProperty("decision").GetProperty("text").GetString()));
        Assert.Equal(["customer", "person"], decided.GetProperty("transcript").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task PostMessage_TheAgentsOwnReplyWhileAPersonOwnsIt_Is409NamingThem()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        await ReadAsync(await PostAsync(agent, id, new { role = "agent", text = "Let me check." }), HttpStatusCode.Created);
        (await server.Client(server.ReviewerKey).PostAsync($"/v1/cases/{id}/takeover", null, Ct)).Dispose();

        var problem = await ReadAsync(await PostAsync(agent, id, new { role = "agent", text = "I refunded you." }), HttpStatusCode.Conflict);

        Assert.Equal("Rita Reviewer has taken this conversation over; relay the customer's messages and wait for their replies.", problem.GetProperty("detail").GetString());
        Assert.Equal("takenOver", problem.GetProperty("caseStatus").GetString());
        Assert.Equal("Rita Reviewer", problem.GetProperty("assignedTo").GetProperty("name").GetString());
    }

    [Fact]
    public async Task PostMessage_APersonWhoDoesNotOwnTheConversation_Is409()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        var beforeTakeover = await ReadAsync(await PostAsync(server.Client(server.ReviewerKey), id, new { role = "person", text = "Hi" }), HttpStatusCode.Conflict);
        (await server.Client(server.ReviewerKey).PostAsync($"/v1/cases/{id}/takeover", null, Ct)).Dispose();
        var notOwner = await ReadAsync(await PostAsync(server.Client(server.SecondReviewerKey), id, new { role = "person", text = "Hi" }), HttpStatusCode.Conflict);

        Assert.Equal("Take the conversation over before replying in it.", beforeTakeover.GetProperty("detail").GetString());
        Assert.Equal("Rita Reviewer has taken this conversation over; only they reply in it.", notOwner.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Takeover_OfACaseSomeoneElseHoldsOrThatIsClosed_Is409()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var held = await TestCases.SubmitPendingAsync(agent);
        (await server.Client(server.SecondReviewerKey).PostAsync($"/v1/cases/{held}/claim", null, Ct)).Dispose();
        var decided = await TestCases.SubmitPendingAsync(agent);
        (await TestCases.DecideAsync(server.Client(server.SecondReviewerKey), decided, new { verdict = "approve" })).Dispose();

        var heldProblem = await ReadAsync(await server.Client(server.ReviewerKey).PostAsync($"/v1/cases/{held}/takeover", null, Ct), HttpStatusCode.Conflict);
        var closedProblem = await ReadAsync(await server.Client(server.ReviewerKey).PostAsync($"/v1/cases/{decided}/takeover", null, Ct), HttpStatusCode.Conflict);

        Assert.Equal("The case is held by Sam Second.", heldProblem.GetProperty("detail").GetString());
        Assert.Equal("approved", closedProblem.GetProperty("caseStatus").GetString());
    }

    [Fact]
    public async Task HandBack_BySomeoneOtherThanTheOwner_OrOfACaseNotTakenOver_Is409()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        var notTaken = await ReadAsync(await server.Client(server.ReviewerKey).PostAsJsonAsync($"/v1/cases/{id}/handback", new { note = "n" }, Ct), HttpStatusCode.Conflict);
        (await server.Client(server.ReviewerKey).PostAsync($"/v1/cases/{id}/takeover", null, Ct)).Dispose();
        var notOwner = await ReadAsync(await server.Client(server.SecondReviewerKey).PostAsJsonAsync($"/v1/cases/{id}/handback", new { note = "n" }, Ct), HttpStatusCode.Conflict);

        Assert.Equal("The conversation is not taken over: take it over first, or decide the case.", notTaken.GetProperty("detail").GetString());
        Assert.Equal("Rita Reviewer has taken this conversation over.", notOwner.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TheOwner_MayEndTheConversationByDecidingNormally()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        (await reviewer.PostAsync($"/v1/cases/{id}/takeover", null, Ct)).Dispose();

        var decided = await ReadAsync(await TestCases.DecideAsync(reviewer, id, new { verdict = "respond", text = "All done." }), HttpStatusCode.OK);
        var closed = await ReadAsync(await PostAsync(agent, id, new { role = "customer", text = "Thanks" }), HttpStatusCode.Conflict);

        Assert.Equal("responded", decided.GetProperty("status").GetString());
        Assert.Equal("responded", closed.GetProperty("caseStatus").GetString());
    }

    [Fact]
    public async Task Decide_WithVerdictHandBack_IsRefusedNamingTheVerdict()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        var problem = await ReadAsync(await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "handBack", text = "n" }), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("verdict", out _));
    }

    [Theory]
    [InlineData("""{"role":"customer"}""", "text")]
    [InlineData("""{"role":"customer","text":"   "}""", "text")]
    [InlineData("""{"text":"hi"}""", "role")]
    [InlineData("""{"role":"bot","text":"hi"}""", "role")]
    [InlineData("""{"role":"customer","text":"hi","extra":1}""", "extra")]
    [InlineData("""{"role":"customer","text":7}""", "text")]
    public async Task PostMessage_WithBadInput_Is400NamingTheField(string body, string field)
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        using var content = new StringContent(body, MediaTypeHeaderValue.Parse("application/json"));
        var problem = await ReadAsync(await agent.PostAsync($"/v1/cases/{id}/messages", content, Ct), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    [Fact]
    public async Task PostMessage_ATextTooLong_Is400()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        var problem = await ReadAsync(await PostAsync(agent, id, new { role = "customer", text = new string('a', 8_001) }), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("text", out _));
    }

    [Theory]
    [InlineData("?after=-1", "after")]
    [InlineData("?after=x", "after")]
    [InlineData("?wait=999999", "wait")]
    public async Task WaitForMessages_WithBadInput_Is400NamingTheField(string query, string field)
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        var problem = await ReadAsync(await agent.GetAsync($"/v1/cases/{id}/messages{query}", Ct), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task HandBack_WithoutANote_Is400NamingIt()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var reviewer = server.Client(server.ReviewerKey);
        (await reviewer.PostAsync($"/v1/cases/{id}/takeover", null, Ct)).Dispose();

        var problem = await ReadAsync(await reviewer.PostAsJsonAsync($"/v1/cases/{id}/handback", new { note = "" }, Ct), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _));
    }

    [Fact]
    public async Task Roles_AreEnforced()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(agent);

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync($"/v1/cases/{id}/takeover", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync($"/v1/cases/{id}/handback", new { note = "n" }, Ct)).StatusCode);
        var asPerson = await ReadAsync(await PostAsync(agent, id, new { role = "person", text = "I am a person" }), HttpStatusCode.Forbidden);
        var asCustomer = await ReadAsync(await PostAsync(reviewer, id, new { role = "customer", text = "I am a customer" }), HttpStatusCode.Forbidden);
        Assert.True(asPerson.GetProperty("errors").TryGetProperty("role", out _));
        Assert.True(asCustomer.GetProperty("errors").TryGetProperty("role", out _));
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync($"/v1/cases/{id}/messages", Ct)).StatusCode);
    }

    [Fact]
    public async Task AnotherWorkspacesCase_Is404Everywhere()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var otherAgent = server.Client(server.OtherAgentKey);
        var otherReviewer = server.Client(server.OtherReviewerKey);

        Assert.Equal(HttpStatusCode.NotFound, (await otherReviewer.PostAsync($"/v1/cases/{id}/takeover", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(otherAgent, id, new { role = "customer", text = "hi" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAgent.GetAsync($"/v1/cases/{id}/messages?wait=1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherReviewer.PostAsJsonAsync($"/v1/cases/{id}/handback", new { note = "n" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task WaitForMessages_WhenTheWaitRunsOut_AnswersWithNoMessages()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        await ReadAsync(await PostAsync(agent, id, new { role = "customer", text = "Hello" }), HttpStatusCode.Created);

        var waiting = agent.GetAsync($"/v1/cases/{id}/messages?after=1&wait=10", Ct);
        await server.UntilSomeoneWaitsOnAsync(id);
        await server.AdvanceUntilAsync(waiting, TimeSpan.FromSeconds(1));

        var body = await ReadAsync(await waiting, HttpStatusCode.OK);
        Assert.Empty(body.GetProperty("messages").EnumerateArray());
        Assert.Equal((1, "pending"), (body.GetProperty("last").GetInt32(), body.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Events_CarryTheTakeoverEachMessageWithItsTextAndTheHandback()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        (await reviewer.PostAsync($"/v1/cases/{id}/takeover", null, Ct)).Dispose();
        await ReadAsync(await PostAsync(agent, id, new { role = "customer", text = "Hello?" }), HttpStatusCode.Created);
        await ReadAsync(await PostAsync(reviewer, id, new { role = "person", text = "Hi, Rita here." }), HttpStatusCode.Created);
        (await reviewer.PostAsJsonAsync($"/v1/cases/{id}/handback", new { note = "Done." }, Ct)).Dispose();

        using var response = await agent.GetAsync($"/v1/cases/{id}/events", Ct);
        var stream = await response.Content.ReadAsStreamAsync(Ct);
        var events = new List<(string Type, string Data)>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(Ct))
        {
            events.Add((item.EventType, item.Data));
        }

        Assert.Equal(["case.created", "case.takenOver", "case.message", "case.message", "case.handedBack", "end"], events.Select(e => e.Type));
        var messages = events.Where(e => e.Type == "case.message").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("data")).ToList();
        Assert.Equal(["Hello?", "Hi, Rita here."], messages.Select(m => m.GetProperty("text").GetString()));
        Assert.Equal(["customer", "person"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(64, messages[0].GetProperty("textDigest").GetString()!.Length);
        Assert.Contains("\"text\":\"Done.\"", events[4].Data, StringComparison.Ordinal);
        Assert.Equal("""{"status":"handedBack"}""", events[^1].Data);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string id, object body) =>
        client.PostAsJsonAsync($"/v1/cases/{id}/messages", body, Ct);

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {text}");
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
