using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Handoff.Server.Tests.Infrastructure;

/// <summary>Case bodies and calls the tests share.</summary>
internal static class TestCases
{
    /// <summary>Under the built-in policy: no rule fires and confidence 0.9 clears the 0.75 floor.</summary>
    public static JsonObject Auto() => Parse("""
        {"kind":"reply","summary":"Opening hours","subject":{"id":"c1","returning":false},"facts":{"topic":"store"},
         "conversation":[{"role":"customer","text":"When are you open?"}],
         "proposal":{"text":"We open at nine.","confidence":0.9}}
        """);

    /// <summary>Under the built-in policy: high-value fires (review, team sales).</summary>
    public static JsonObject HighValue() => Parse("""
        {"kind":"action","summary":"Refund a broken machine","subject":{"id":"c2","name":"Tom"},"facts":{"amount":1450},
         "conversation":[{"role":"customer","text":"It arrived broken, refund me."}],
         "proposal":{"text":"Refunded 1,450.","action":{"name":"issue_refund","arguments":{"orderId":"B-1","amount":1450}},"confidence":0.9},
         "options":[{"text":"We'll send a replacement.","action":{"name":"ship_replacement","arguments":{"orderId":"B-1"}}}]}
        """);

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static async Task<JsonElement> SubmitAsync(HttpClient agent, JsonObject body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await agent.PostAsJsonAsync("/v1/cases", body);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<string> SubmitPendingAsync(HttpClient agent, JsonObject? body = null)
    {
        var created = await SubmitAsync(agent, body ?? HighValue());
        Assert.Equal("pending", created.GetProperty("status").GetString());
        return created.GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> DecideAsync(HttpClient reviewer, string id, object body) =>
        reviewer.PostAsJsonAsync($"/v1/cases/{id}/decision", body);
}
