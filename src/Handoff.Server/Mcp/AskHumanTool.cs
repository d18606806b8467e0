using Handoff.Server.Api.Contracts;
using Handoff.Server.Mcp.Contracts;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Mcp;

/// <summary>
/// <c>ask_human</c>: a question becomes a case of kind <c>question</c>; the person's answer comes back as
/// <c>answer</c> (their own words, the proposed answer they approved or edited, or the choice they picked).
/// </summary>
internal sealed class AskHumanTool(CaseSubmitter submitter) : HandoffTool<AskHumanArguments>(Definition)
{
    // The case's fields as the API's validator names them → this tool's arguments.
    private static readonly Dictionary<string, string> ApiNames = new(StringComparer.Ordinal)
    {
        ["summary"] = "question",
        ["proposal.text"] = "proposedAnswer",
        ["proposal.confidence"] = "confidence",
        ["proposal"] = "proposedAnswer",
        ["options"] = "choices",
    };

    private static Tool Definition => new()
    {
        Name = "ask_human",
        Title = "Ask a person a question",
        Description =
            "Ask a person when you do not know the answer, or must not answer alone. The call waits up to waitSeconds " +
            "for them; the answer is in 'answer' once status is 'responded' or 'approved'. Status 'rejected' or " +
            "'blocked' means no answer will come (decision.text says why); 'pending', 'assigned' or 'escalated' means " +
            "not answered yet: call check_case later.",
        InputSchema = ToolSchemas.Object(
            ["question"],
            [
                ("question", ToolSchemas.Text("The question, as the person should read it.")),
                ("proposedAnswer", ToolSchemas.Text("The answer you would give, if you have one; the person may approve or edit it.")),
                ("confidence", ToolSchemas.Confidence("How sure you are of proposedAnswer, from 0 to 1.")),
                ("choices", new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "string" },
                    ["description"] = "Answers the person may pick from, if the question has a few possible answers.",
                }),
                .. ToolSchemas.CaseContext(),
            ]),
        OutputSchema = ToolResults.CaseResultSchema,
        Annotations = new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = false, IdempotentHint = false, OpenWorldHint = false },
    };

    protected override async Task<CallToolResult> RunAsync(AskHumanArguments arguments, ToolCall call, CancellationToken cancellationToken)
    {
        var errors = new ToolErrors(ApiNames);
        if (string.IsNullOrWhiteSpace(arguments.Question))
        {
            errors.Add("question", "Required: the question for the person.");
        }

        if (arguments.Confidence is not null && arguments.ProposedAnswer is null)
        {
            errors.Add("confidence", "Goes with proposedAnswer: how sure you are of the answer you propose.");
        }

        var choices = new List<ProposalBody?>();
        for (var i = 0; i < (arguments.Choices?.Count ?? 0); i++)
        {
            var choice = arguments.Choices![i];
            if (string.IsNullOrWhiteSpace(choice))
            {
                errors.Add($"choices[{i}]", "Each choice needs text.");
            }

            choices.Add(new ProposalBody(choice, null, null));
        }

        var request = new SubmitCaseRequest(
            Kind: "question",
            Summary: arguments.Question,
            Channel: "mcp",
            Subject: arguments.Subject,
            Facts: arguments.Facts,
            Conversation: arguments.Conversation,
            Proposal: arguments.ProposedAnswer is null ? null : new ProposalBody(arguments.ProposedAnswer, null, arguments.Confidence),
            Options: choices,
            ExpiresIn: arguments.ExpiresIn,
            OnTimeout: arguments.OnTimeout);
        return await submitter.SubmitAndWaitAsync(
            call, request, arguments.IdempotencyKey, arguments.WaitSeconds, errors, cancellationToken).ConfigureAwait(false);
    }
}
