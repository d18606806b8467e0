using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Client.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Client.Tests;

public sealed class SubmitTests
{
    [Fact]
    public async Task SubmitCase_SendsEveryField()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var request = Cases.Refund(TimeSpan.FromHours(4), TimeoutEffect.Escalate) with
        {
            Conversation = [new Message("customer", "The kettle arrived cracked.", new DateTimeOffset(2026, 11, 24, 8, 59, 0, TimeSpan.Zero))],
        };

        var submitted = await client.SubmitCaseAsync(request, TestContext.Current.CancellationToken);
        var stored = await client.GetCaseAsync(submitted.Id, TestContext.Current.CancellationToken);

        Assert.False(submitted.Replayed);
        Assert.StartsWith("hc_", submitted.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal(CaseKind.Action, stored.Kind);
        Assert.Equal(PolicyOutcome.Review, stored.Outcome);
        Assert.Equal(new Reason("high-value", "Deals above 1,000 need a person's review.", PolicyOutcome.Review), Assert.Single(stored.Reasons));
        Assert.Equal("sales", stored.Team);
        Assert.Equal("Refund a damaged kettle", stored.Summary);
        Assert.Equal("chat", stored.Channel);
        Assert.Equal("Tom Becker", stored.Subject!["name"]!.GetValue<string>());
        Assert.Equal(1450, stored.Facts!["amount"]!.GetValue<int>());
        Assert.Equal(request.Conversation[0], Assert.Single(stored.Conversation));
        Assert.Equal(submitted.ProposalDigest, ProposalDigest.Compute(stored.Proposal));
        Assert.Equal("ship_replacement", Assert.Single(stored.Options).Action!.Name);
        Assert.Equal(stored.CreatedAt + TimeSpan.FromHours(4), stored.ExpiresAt);
        Assert.Equal(TimeoutEffect.Escalate, stored.OnTimeout);
        Assert.Equal("test agent", stored.SubmittedBy!.Name);
    }

    [Fact]
    public async Task SubmitCase_WithACallbackUrl_SendsIt()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();

        var submitted = await client.SubmitCaseAsync(Cases.Refund() with { CallbackUrl = new Uri("https://agent.example.com/handoff/decided") }, TestContext.Current.CancellationToken);
        var stored = await server.Reviewer().GetFromJsonAsync<JsonElement>($"/v1/cases/{submitted.Id}", TestContext.Current.CancellationToken);

        Assert.Equal("https://agent.example.com/handoff/decided", stored.GetProperty("callbackUrl").GetString());
    }

    [Fact]
    public async Task SubmitCase_TwiceWithTheSameIdempotencyKey_CreatesOneCase()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var request = Cases.Refund() with { IdempotencyKey = "order-B-11872-refund" };

        var first = await client.SubmitCaseAsync(request, TestContext.Current.CancellationToken);
        var again = await client.SubmitCaseAsync(request, TestContext.Current.CancellationToken);

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("order-B-11872-refund", again.IdempotencyKey);
    }

    [Fact]
    public async Task SubmitCase_WhenTheAnswerIsLost_RetriesWithTheSameKeyAndCreatesOneCase()
    {
        await using var server = await ClientTestServer.StartAsync();
        var clock = new FakeTimeProvider();
        var lossy = new LosesFirstAnswer();
        // The fake clock runs 50 times faster than the real one while the test waits: a real request slowed by a
        // busy machine must not also time out on it, or that adds a third try (seen in CI).
        var client = server.Agent(o => o.RequestTimeout = TimeSpan.FromHours(1), clock, lossy);

        var submitting = client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await Eventually.AdvanceUntilAsync(clock, submitting);
        var submitted = await submitting;

        Assert.True(submitted.Replayed);
        Assert.Equal(2, lossy.Count("POST /v1/cases"));
        var listed = await server.Reviewer().GetFromJsonAsync<JsonObject>("/v1/cases", TestContext.Current.CancellationToken);
        Assert.Equal(submitted.Id, Assert.Single(listed!["items"]!.AsArray())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SubmitCase_WhenTheServerStaysUnavailable_GivesUpAfterMaxAttemptsWithTheLastProblem()
    {
        await using var server = await ClientTestServer.StartAsync();
        var clock = new FakeTimeProvider();
        var unavailable = new AlwaysUnavailable();
        var client = server.Agent(o => o.MaxAttempts = 3, clock, unavailable);

        var submitting = client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await Eventually.AdvanceUntilAsync(clock, submitting);

        var problem = await Assert.ThrowsAsync<HandoffProblemException>(() => submitting);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, problem.Status);
        Assert.Equal("The database is out of reach; retry with the same Idempotency-Key.", problem.Detail);
        Assert.Equal(3, unavailable.Count("POST /v1/cases"));
    }

    [Fact]
    public async Task GetCase_WhenTheServerNeverAnswers_GivesUpAfterMaxAttemptsWithATimeout()
    {
        await using var server = await ClientTestServer.StartAsync();
        var clock = new FakeTimeProvider();
        var silent = new NeverAnswers();
        var client = server.Agent(o => o.MaxAttempts = 2, clock, silent);

        var getting = client.GetCaseAsync("cs_any", TestContext.Current.CancellationToken);
        await Eventually.AdvanceUntilAsync(clock, getting, TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<TimeoutException>(() => getting);
        Assert.Equal(2, silent.Count("GET /v1/cases/cs_any"));
    }

    [Fact]
    public async Task SubmitCase_WithBadFields_ThrowsAProblemNamingEachOfThem()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var request = Cases.Refund(TimeSpan.FromDays(400)) with { Proposal = new Proposal { Confidence = 1.5 } };

        var problem = await Assert.ThrowsAsync<HandoffProblemException>(() => client.SubmitCaseAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("One or more validation errors occurred.", problem.Title);
        Assert.Equal(["Must be between 0 and 1."], problem.Errors["proposal.confidence"]);
        Assert.Equal(["A proposal needs text, an action, or both."], problem.Errors["proposal"]);
        Assert.Contains("expiresIn", problem.Errors.Keys);
        Assert.Contains("proposal.confidence: Must be between 0 and 1.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitCase_ReusingAKeyForAnotherCase_ThrowsUnprocessable()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        await client.SubmitCaseAsync(Cases.Refund() with { IdempotencyKey = "k-1" }, TestContext.Current.CancellationToken);

        var problem = await Assert.ThrowsAsync<HandoffProblemException>(
            () => client.SubmitCaseAsync(Cases.OpeningHours() with { IdempotencyKey = "k-1" }, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, problem.Status);
        Assert.Equal("Idempotency-Key reused", problem.Title);
        Assert.Contains("Idempotency-Key", problem.Errors.Keys);
    }

    [Fact]
    public async Task SubmitCase_WithAnUnknownKey_ThrowsUnauthorizedWithTheServersAdvice()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent(o => o.ApiKey = "hk_not-a-key");

        var problem = await Assert.ThrowsAsync<HandoffProblemException>(() => client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, problem.Status);
        Assert.Equal("The API key is unknown or revoked.", problem.Detail);
    }

    [Fact]
    public async Task GetCase_OfAnUnknownCase_ThrowsNotFound()
    {
        await using var server = await ClientTestServer.StartAsync();

        var problem = await Assert.ThrowsAsync<HandoffProblemException>(
            () => server.Agent().GetCaseAsync("cs_nope", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.NotFound, problem.Status);
        Assert.Equal("No case 'cs_nope' in this workspace.", problem.Detail);
        Assert.True(problem.Extensions.ContainsKey("traceId"));
    }

    /// <summary>The first submission reaches the server, but its answer never comes back: the connection breaks.</summary>
    private sealed class LosesFirstAnswer : RecordingHandler
    {
        private int _answers;

        protected override Task<HttpResponseMessage> RewriteAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _answers) == 1)
            {
                response.Dispose();
                throw new HttpRequestException("The connection broke before the answer arrived.");
            }

            return Task.FromResult(response);
        }
    }

    /// <summary>A server whose database is away: every request answers 503 (and reaches nothing).</summary>
    private sealed class AlwaysUnavailable : RecordingHandler
    {
        protected override Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var problem = new JsonObject
            {
                ["title"] = "Service Unavailable",
                ["status"] = 503,
                ["detail"] = "The database is out of reach; retry with the same Idempotency-Key.",
            };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent(problem.ToJsonString(), System.Text.Encoding.UTF8, "application/problem+json"),
            });
        }
    }

    /// <summary>A server that takes the request and never answers.</summary>
    private sealed class NeverAnswers : RecordingHandler
    {
        protected override async Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
