using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Server.Mcp.Contracts;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Mcp;

/// <summary>
/// Tool answers: the same JSON as text (what every client shows its model) and as structured content (for clients
/// that read <see cref="CaseResultSchema"/>). A failure is a tool error the model can read and correct, never a
/// protocol error.
/// </summary>
internal static class ToolResults
{
    // A model reads the text as it is: "person's" rather than "person\u0027s". The text is never put into HTML.
    private static readonly JsonSerializerOptions Readable = new(HandoffJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CallToolResult Case(HandoffCase handoffCase)
    {
        var result = CaseResult.From(handoffCase);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = JsonSerializer.Serialize(result, Readable) }],
            StructuredContent = JsonSerializer.SerializeToElement(result, HandoffJson.Options),
        };
    }

    /// <summary>A case's answer with the transcript's messages after <paramref name="after"/> (<c>relay_message</c>).</summary>
    public static CallToolResult Case(HandoffCase handoffCase, int after)
    {
        var result = CaseResult.From(handoffCase, after);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = JsonSerializer.Serialize(result, Readable) }],
            StructuredContent = JsonSerializer.SerializeToElement(result, HandoffJson.Options),
        };
    }

    /// <summary>Any answer as readable text and as structured content (<c>find_precedents</c>).</summary>
    public static CallToolResult Structured(object result) => new()
    {
        Content = [new TextContentBlock { Text = JsonSerializer.Serialize(result, Readable) }],
        StructuredContent = JsonSerializer.SerializeToElement(result, HandoffJson.Options),
    };

    /// <summary>The call could not change the case as it stands (a closed case): the model reads why.</summary>
    public static CallToolResult Conflict(string detail) => Error(new ToolError(detail));

    public static CallToolResult Invalid(ToolErrors errors) =>
        Error(new ToolError("The arguments are not valid; fix the ones named in 'errors' and call again.", errors.ToDictionary()));

    public static CallToolResult NotFound(string caseId) => Error(new ToolError($"No case '{caseId}' in this workspace."));

    private static CallToolResult Error(ToolError error) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = JsonSerializer.Serialize(error, Readable) }],
    };

    /// <summary>The output schema of every tool: <see cref="CaseResult"/>.</summary>
    public static JsonElement CaseResultSchema { get; } = JsonSerializer.SerializeToElement(new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["caseId"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = ToolSchemas.Names<CaseStatus>(),
            },
            ["message"] = new JsonObject { ["type"] = "string", ["description"] = "What to do next." },
            ["answer"] = new JsonObject { ["type"] = "string", ["description"] = "The person's answer to an ask_human question." },
            ["decision"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["verdict"] = new JsonObject { ["type"] = "string", ["enum"] = ToolSchemas.Names<Verdict>() },
                    ["text"] = new JsonObject { ["type"] = "string" },
                    ["action"] = new JsonObject { ["type"] = "string" },
                    ["arguments"] = new JsonObject { ["type"] = "object" },
                    ["option"] = new JsonObject { ["type"] = "integer" },
                    ["note"] = new JsonObject { ["type"] = "string" },
                    ["changes"] = new JsonObject { ["type"] = "array" },
                    ["decidedBy"] = new JsonObject { ["type"] = "object" },
                    ["decidedAt"] = new JsonObject { ["type"] = "string" },
                    ["timedOut"] = new JsonObject { ["type"] = "boolean" },
                    ["proposalDigest"] = new JsonObject { ["type"] = "string" },
                    ["resultDigest"] = new JsonObject { ["type"] = "string" },
                },
                ["required"] = new JsonArray("verdict", "decidedAt", "timedOut", "proposalDigest"),
            },
            ["outcome"] = new JsonObject { ["type"] = "string", ["enum"] = ToolSchemas.Names<Core.Policy.Outcome>() },
            ["reasons"] = new JsonObject { ["type"] = "array" },
            ["team"] = new JsonObject { ["type"] = "string" },
            ["assignedTo"] = new JsonObject { ["type"] = "object" },
            ["expiresAt"] = new JsonObject { ["type"] = "string" },
            ["messages"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "Messages since submission (a takeover's conversation): number, role (customer, person, agent), text, at, by.",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["number"] = new JsonObject { ["type"] = "integer" },
                        ["role"] = new JsonObject { ["type"] = "string", ["enum"] = ToolSchemas.Names<CaseMessageRole>() },
                        ["text"] = new JsonObject { ["type"] = "string" },
                        ["at"] = new JsonObject { ["type"] = "string" },
                        ["by"] = new JsonObject { ["type"] = "object" },
                    },
                },
            },
            ["lastMessage"] = new JsonObject { ["type"] = "integer", ["description"] = "The number of the transcript's last message: pass it as relay_message's after." },
        },
        ["required"] = new JsonArray("caseId", "status", "message", "outcome", "reasons", "team"),
    });
}
