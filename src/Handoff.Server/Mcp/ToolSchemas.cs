using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Cases;

namespace Handoff.Server.Mcp;

/// <summary>
/// The JSON Schemas the tools announce, written out rather than inferred from the argument records: a model reads
/// them, so each says what to send in words, and they state as required what the tools check themselves.
/// </summary>
internal static class ToolSchemas
{
    public static JsonElement Object(string[] required, params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        var schemaObject = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = props,
            ["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]),
            ["additionalProperties"] = false,
        };
        return JsonSerializer.SerializeToElement(schemaObject);
    }

    public static JsonObject Text(string description) => new() { ["type"] = "string", ["description"] = description };

    public static JsonObject AnyObject(string description) => new() { ["type"] = "object", ["description"] = description };

    public static JsonObject Confidence(string description) =>
        new() { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1, ["description"] = description };

    public static JsonObject Facts() => AnyObject(
        "Facts the policy decides on, as a JSON object: amount, topic, currency, … (for example {\"amount\": 1450, \"topic\": \"refund\"}).");

    public static JsonObject Subject() => AnyObject(
        "Who the case is about, as a JSON object: id, name, returning (true for a returning customer), ….");

    public static JsonObject Conversation() => new()
    {
        ["type"] = "array",
        ["description"] = "The conversation so far, oldest first, so the person sees what led here.",
        ["items"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["role"] = Text("Who spoke: customer, agent, …"),
                ["text"] = Text("What they said."),
            },
            ["required"] = new JsonArray("role", "text"),
        },
    };

    public static JsonObject ExpiresIn() => new()
    {
        ["type"] = new JsonArray("number", "string"),
        ["description"] = "How long a person has to decide: seconds, or a duration such as \"90s\", \"15m\", \"2h\", \"1d\". Without it the case waits until someone decides.",
    };

    /// <summary>An enum's values as the API writes them (camelCase), in declaration order: a schema that cannot drift from the type.</summary>
    public static JsonArray Names<T>()
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(value => (JsonNode)JsonNamingPolicy.CamelCase.ConvertName(value.ToString()))];

    public static JsonObject OnTimeout() => new()
    {
        ["type"] = "string",
        ["enum"] = Names<TimeoutEffect>(),
        ["description"] = "What happens when expiresIn runs out: reject (the default), approve, or escalate to a person as urgent.",
    };

    public static JsonObject IdempotencyKey() => Text(
        "A key of your choosing (1 to 200 characters) that makes the call safe to repeat: the same key with the same arguments answers with the case it created the first time.");

    /// <summary>The arguments every case-submitting tool takes besides its own: context, expiry, idempotency and the wait.</summary>
    public static (string Name, JsonObject Schema)[] CaseContext() =>
    [
        ("facts", Facts()),
        ("subject", Subject()),
        ("conversation", Conversation()),
        ("expiresIn", ExpiresIn()),
        ("onTimeout", OnTimeout()),
        ("idempotencyKey", IdempotencyKey()),
        ("waitSeconds", WaitSeconds(ToolArguments.DefaultWaitSeconds)),
    ];

    public static JsonObject CaseId() => Text("The case's id (cs_…), as an earlier answer gave it.");

    public static JsonObject WaitSeconds(int fallback) => new()
    {
        ["type"] = "integer",
        ["minimum"] = 0,
        ["maximum"] = ToolArguments.MaxWaitSeconds,
        ["default"] = fallback,
        ["description"] = $"How long to wait for a person's decision before answering with status 'pending' (0 to {ToolArguments.MaxWaitSeconds} seconds, default {fallback}).",
    };
}
