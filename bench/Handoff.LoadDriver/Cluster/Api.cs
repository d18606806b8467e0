using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Handoff.LoadDriver.Cluster;

/// <summary>The few Handoff API calls the cluster scenarios make, each with the caller's key, against one node.</summary>
internal sealed class Api : IDisposable
{
    private const string Approve = """{"verdict":"approve"}""";

    private readonly HttpClient _client;

    public Api(Uri node, int connections)
    {
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        })
        {
            BaseAddress = node,
            Timeout = TimeSpan.FromSeconds(120),
        };
    }

    public Uri Node => _client.BaseAddress!;

    /// <summary>
    /// A case the built-in policy sends to a person: <c>facts.amount</c> above 1,000 fires the high-value rule
    /// (review, team sales), so it is created pending. About 1 KB of JSON, like a real support case.
    /// </summary>
    public static string ReviewCase(int n) => string.Create(CultureInfo.InvariantCulture, $$$"""
        {"kind":"reply","summary":"Refund of order #{{{n}}} above the self-service limit","channel":"email",
         "subject":{"id":"cus_{{{n}}}","name":"Alex Morgan","returning":false},
         "facts":{"topic":"billing","amount":{{{1500 + (n % 5000)}}},"currency":"EUR","order":"ord_{{{n}}}"},
         "conversation":[
           {"role":"customer","text":"Hello, I ordered the large walnut desk and two matching chairs last week, but the desk arrived with a cracked top and one chair is missing a leg. I would like a full refund for the whole order rather than a replacement, as I need furniture before the end of the month."},
           {"role":"agent","text":"I'm sorry to hear that. I can see the order and the delivery photos. Let me check what we can do for you."}],
         "proposal":{"text":"I've issued a full refund for order #{{{n}}}; it will reach your card within 5 business days, and a courier will collect the items at no cost to you.","confidence":0.9}}
        """);

    /// <summary>POST /v1/cases; the new case's id and status.</summary>
    public async Task<(string Id, string Status)> SubmitAsync(string key, int n)
    {
        using var request = Request(HttpMethod.Post, "v1/cases", key, ReviewCase(n));
        using var response = await _client.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new HttpRequestException($"POST /v1/cases answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("status").GetString()!);
    }

    /// <summary>POST /v1/cases/{id}/claim: the status code (200, or 409 when someone else has it).</summary>
    public Task<HttpStatusCode> ClaimAsync(string key, string id) => StatusAsync(Request(HttpMethod.Post, $"v1/cases/{id}/claim", key, null));

    /// <summary>POST /v1/cases/{id}/decision {"verdict":"approve"}: the status code (200 when decided).</summary>
    public Task<HttpStatusCode> ApproveAsync(string key, string id) => StatusAsync(Request(HttpMethod.Post, $"v1/cases/{id}/decision", key, Approve));

    /// <summary>GET /v1/cases/{id}/decision?wait=SECONDS: the status code (200 with the decision, 202 when the wait ran out).</summary>
    public Task<HttpStatusCode> WaitForDecisionAsync(string key, string id, int seconds) =>
        StatusAsync(Request(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"v1/cases/{id}/decision?wait={seconds}"), key, null));

    /// <summary>GET /v1/cases?status=pending&amp;limit=N: the ids on the first page (newest first).</summary>
    public async Task<List<string>> PendingAsync(string key, int limit)
    {
        using var request = Request(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"v1/cases?status=pending&limit={limit}"), key, null);
        using var response = await _client.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"GET /v1/cases answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!)];
    }

    public void Dispose() => _client.Dispose();

    private async Task<HttpStatusCode> StatusAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _client.SendAsync(request).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return response.StatusCode;
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string key, string? json)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }
}
