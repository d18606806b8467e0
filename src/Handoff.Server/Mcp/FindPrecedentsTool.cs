using System.Text.Json;
using Handoff.Server.Auth;
using Handoff.Server.Learning;
using Handoff.Server.Mcp.Contracts;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Mcp;

/// <summary>
/// <c>find_precedents</c>: how people decided cases like the one at hand, so an agent can shape its proposal before it
/// asks (a rejected refund of this kind, an answer people always reword). The caller's workspace only.
/// </summary>
internal sealed class FindPrecedentsTool(Precedents precedents) : HandoffTool<FindPrecedentsArguments>(Definition)
{
    private static Tool Definition => new()
    {
        Name = "find_precedents",
        Title = "Find how similar cases were decided",
        Description =
            "Before proposing an action or a reply, look up how people decided similar cases: each precedent has the " +
            "verdict (approve, edit, choose, reject, respond), what was proposed, what went ahead, what the person changed " +
            "and their note. Cases proposing the same action come first.",
        InputSchema = ToolSchemas.Object(
            ["text"],
            ("text", ToolSchemas.Text("What the case is about: the customer's request, in their words or yours.")),
            ("action", ToolSchemas.Text("The tool call you are thinking of proposing (its name), if any.")),
            ("count", new System.Text.Json.Nodes.JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 20, ["default"] = Precedents.DefaultCount, ["description"] = "How many precedents, 1 to 20." })),
        OutputSchema = JsonSerializer.SerializeToElement(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "object",
            ["properties"] = new System.Text.Json.Nodes.JsonObject
            {
                ["precedents"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = "array",
                    ["description"] = "Most relevant first: caseId, summary, verdict, decidedAt, decidedBy, note, text, proposal, result, changes, sameAction, sharedRules.",
                    ["items"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "object" },
                },
            },
            ["required"] = new System.Text.Json.Nodes.JsonArray("precedents"),
        }),
        Annotations = new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
    };

    protected override async Task<CallToolResult> RunAsync(FindPrecedentsArguments arguments, ToolCall call, CancellationToken cancellationToken)
    {
        var errors = new ToolErrors();
        if (string.IsNullOrWhiteSpace(arguments.Text))
        {
            errors.Add("text", "Required: what the case is about.");
        }
        else if (arguments.Text.Length > 10_000)
        {
            errors.Add("text", "At most 10,000 characters.");
        }

        if (arguments.Count is < 1 or > 20)
        {
            errors.Add("count", "From 1 to 20.");
        }

        if (errors.Any)
        {
            return ToolResults.Invalid(errors);
        }

        var found = await precedents.FindAsync(
            call.Caller.WorkspaceId(), arguments.Text!, string.IsNullOrWhiteSpace(arguments.Action) ? null : arguments.Action, [], null,
            arguments.Count ?? Precedents.DefaultCount, cancellationToken).ConfigureAwait(false);
        return ToolResults.Structured(new { precedents = found });
    }
}
