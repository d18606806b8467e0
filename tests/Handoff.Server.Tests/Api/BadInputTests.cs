using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

public sealed class BadInputTests
{
    public static TheoryData<string, string> BadCases => new()
    {
        { """{"kind":"reply""", "body" },
        { "[1,2]", "body" },
        { "{}", "kind" },
        { """{"kind":"reply","summary":"a\u0000b"}""", "summary" },
        { """{"kind":"reply","facts":{"order":{"note":"x\u0000"}}}""", "facts.order.note" },
        { """{"kind":"reply","facts":{"tags":["ok","\u0000"]}}""", "facts.tags" },
        { """{"kind":"reply","subject":{"na\u0000me":1}}""", "subject" },
        { """{"kind":"poem"}""", "kind" },
        { """{"kind":"reply","proposal":{"text":"x","confidence":"high"}}""", "proposal.confidence" },
        { """{"kind":"reply","proposal":{"text":"x","confidence":1.5}}""", "proposal.confidence" },
        { """{"kind":"reply","proposal":{}}""", "proposal" },
        { """{"kind":"reply","proposal":{"action":{"name":"refund","arguments":[1]}}}""", "proposal.action.arguments" },
        { """{"kind":"reply","proposal":{"action":{"arguments":{}}}}""", "proposal.action.name" },
        { """{"kind":"reply","facts":"lots"}""", "facts" },
        { """{"kind":"reply","facts":{"amount":1,"amount":5000}}""", "facts" },
        { """{"kind":"reply","facts":{"x":"\ud800"}}""", "facts" },
        { """{"kind":"reply","subject":{"\udc00":1}}""", "subject" },
        { """{"kind":"reply","facts":{"x":1e400}}""", "facts" },
        { """{"kind":"reply","proposal":{"action":{"name":"r","arguments":{"x":["\udc00"]}}}}""", "proposal.action.arguments" },
        { """{"kind":"reply","expiresIn":1e-300}""", "expiresIn" },
        { """{"kind":"reply","expiresIn":"0.2s"}""", "expiresIn" },
        { """{"kind":"reply","proposal":{"action":{"name":"refund","arguments":{"x":[{"y":1,"y":2}]}}}}""", "proposal.action.arguments" },
        { """{"kind":"reply","subject":5}""", "subject" },
        { """{"kind":"reply","conversation":[{"text":"hi"}]}""", "conversation[0]" },
        { """{"kind":"reply","expiresIn":-5}""", "expiresIn" },
        { """{"kind":"reply","expiresIn":"soon"}""", "expiresIn" },
        { """{"kind":"reply","expiresIn":"1e300s"}""", "expiresIn" },
        { """{"kind":"reply","expiresIn":"NaNs"}""", "expiresIn" },
        { """{"kind":"reply","expiresIn":"99999999999d"}""", "expiresIn" },
        { """{"kind":"reply","expiresIn":"400d"}""", "expiresIn" },
        { """{"kind":"reply","expiresIn":"9999999:00:00"}""", "expiresIn" },
        { """{"kind":"reply","expiresIn":1e300}""", "expiresIn" },
        { """{"kind":"reply","onTimeout":"explode"}""", "onTimeout" },
        { """{"kind":"reply","summery":"typo"}""", "summery" },
        { """{"kind":"Reply"}""", "kind" },
        { """{"kind":"reply","kind":"action"}""", "kind" },
        { """{"kind":"reply","proposal":{"text":"x","confidence":"0.9"}}""", "proposal.confidence" },
        { """{"kind":"reply","options":[{"text":"a","confidence":-1}]}""", "options[0].confidence" },
        // Valid JSON nested deeper than is read: the field it is under, not "body is not valid JSON".
        { """{"kind":"reply","facts":""" + string.Concat(Enumerable.Repeat("""{"a":""", 70)) + "1" + new string('}', 71), "facts" },
    };

    [Theory]
    [MemberData(nameof(BadCases))]
    public async Task Submit_WithBadBody_Returns400ProblemNamingTheField(string json, string field)
    {
        await using var server = await TestServer.StartAsync();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await server.Client(server.AgentKey).PostAsync("/v1/cases", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
        var page = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>("/v1/cases");
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Submit_WithEmptyBody_SaysABodyIsRequired()
    {
        await using var server = await TestServer.StartAsync();
        using var content = new StringContent("", Encoding.UTF8, "application/json");

        using var response = await server.Client(server.AgentKey).PostAsync("/v1/cases", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("A JSON body is required.", problem.GetProperty("errors").GetProperty("body")[0].GetString());
    }

    [Fact]
    public async Task Submit_WithOversizedBody_Returns413Problem()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxRequestBodyBytes = 4096);
        var body = TestCases.Auto();
        body["summary"] = new string('x', 10_000);

        using var response = await server.Client(server.AgentKey).PostAsJsonAsync("/v1/cases", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Submit_WithWrongContentType_Returns415Problem()
    {
        await using var server = await TestServer.StartAsync();
        using var content = new StringContent("kind=reply", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await server.Client(server.AgentKey).PostAsync("/v1/cases", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/v1/cases?status=lost", "status")]
    [InlineData("/v1/cases?limit=0", "limit")]
    [InlineData("/v1/cases?limit=ten", "limit")]
    [InlineData("/v1/cases?cursor=%%%", "cursor")]
    [InlineData("/v1/policy?version=zero", "version")]
    public async Task Query_WithBadParameter_Returns400NamingIt(string url, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.AdminKey).GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("100000")]
    public async Task WaitForDecision_WithBadWait_Returns400NamingWait(string wait)
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var response = await server.Client(server.AgentKey).GetAsync($"/v1/cases/{id}/decision?wait={wait}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("wait", out _));
    }

    public static TheoryData<string, string> BadDecisions => new()
    {
        { """{}""", "verdict" },
        { """{"verdict":"maybe"}""", "verdict" },
        { """{"verdict":"escalate"}""", "verdict" },
        { """{"verdict":"APPROVE"}""", "verdict" },
        { """{"verdict":"approve","verdict":"reject","text":"x"}""", "verdict" },
        { """{"verdict":"reject"}""", "text" },
        { """{"verdict":"respond","text":"  "}""", "text" },
        { """{"verdict":"edit"}""", "text" },
        { """{"verdict":"edit","arguments":[1]}""", "arguments" },
        { """{"verdict":"edit","arguments":{"text":1,"text":2}}""", "arguments" },
        { """{"verdict":"edit","arguments":{"a":{"b":1,"b":2}}}""", "arguments" },
        { """{"verdict":"edit","arguments":{"a":"\ud800"}}""", "arguments" },
        { """{"verdict":"choose"}""", "option" },
        { """{"verdict":"choose","option":7}""", "option" },
        { """{"verdict":"approve","option":"first"}""", "option" },
    };

    [Theory]
    [MemberData(nameof(BadDecisions))]
    public async Task Decide_WithBadBody_Returns400NamingTheFieldAndLeavesCaseOpen(string json, string field)
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var reviewer = server.Client(server.ReviewerKey);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await reviewer.PostAsync($"/v1/cases/{id}/decision", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var now = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}");
        Assert.Equal("pending", now.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Submit_WithTooLongIdempotencyKey_Returns400NamingTheHeader()
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/cases") { Content = JsonContent.Create(TestCases.Auto()) };
        request.Headers.Add("Idempotency-Key", new string('k', 300));

        using var response = await server.Client(server.AgentKey).SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Theory]
    [InlineData("key-one", "key-two")]
    [InlineData("key-one,key-two")]
    public async Task Submit_WithTheIdempotencyKeyHeaderTwice_Returns400NamingTheHeader_AndCreatesNothing(params string[] keys)
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/cases") { Content = JsonContent.Create(TestCases.Auto()) };
        request.Headers.Add("Idempotency-Key", keys);

        using var response = await server.Client(server.AgentKey).SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.Contains("once, with one key", errors.GetProperty("Idempotency-Key")[0].GetString(), StringComparison.Ordinal);
        var page = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>("/v1/cases", TestContext.Current.CancellationToken);
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task UnknownCase_Returns404Problem()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.ReviewerKey).PostAsync("/v1/cases/cs_nope/claim", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
