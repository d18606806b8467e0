using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Cases;

namespace Handoff.Core.Notifications.Slack;

public static partial class SlackMessages
{
    /// <summary>The longest text a Slack text input holds (<c>plain_text_input</c>'s <c>max_length</c>).</summary>
    public const int InputMax = 3000;

    // A modal's title, submit and close texts hold at most 24 characters; its private_metadata 3000.
    private const int ModalTitleMax = 24;

    // Arguments are edited as indented JSON with their text as written: the input is no HTML page.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Why <paramref name="proposal"/> cannot be edited in Slack (none to edit; a text or arguments longer than a Slack
    /// input holds), or null when it can.
    /// </summary>
    public static string? EditProblem(Proposal? proposal)
    {
        if (proposal is null || (proposal.Text is null && proposal.Action is null))
        {
            return "The case has no proposal to edit; open it in Handoff to answer.";
        }

        if (proposal.Text is { Length: > InputMax } || (proposal.Action is { } action && ArgumentsText(action).Length > InputMax))
        {
            return $"The proposal is longer than Slack can edit ({InputMax} characters); open it in Handoff to edit it.";
        }

        return null;
    }

    /// <summary>
    /// The <c>views.open</c> modal to edit <paramref name="proposal"/> (the case's own, not the one-line
    /// <see cref="CaseNotice.Proposal"/>): its text and its tool call's arguments as JSON, prefilled, and a note. Its
    /// <c>private_metadata</c> carries the case id and the message the button was on (<paramref name="channel"/>,
    /// <paramref name="ts"/>), to update once decided; see <see cref="SlackEdits"/> for reading the submission.
    /// Check <see cref="EditProblem"/> first: a proposal Slack cannot hold throws <see cref="ArgumentException"/>.
    /// </summary>
    public static string EditModal(CaseNotice notice, Proposal proposal, string? channel = null, string? ts = null)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(proposal);
        if (EditProblem(proposal) is { } problem)
        {
            throw new ArgumentException(problem, nameof(proposal));
        }

        var blocks = new JsonArray { Section($"*{SlackText.Escape(notice.Title, SectionMax - 2)}*") };
        if (proposal.Text is { } text)
        {
            blocks.Add(Input(SlackActions.TextInput, "Reply", text, optional: false));
        }

        if (proposal.Action is { } action)
        {
            blocks.Add(Input(SlackActions.ArgumentsInput, SlackText.Cut($"Arguments of {action.Name} (JSON)", 2000), ArgumentsText(action), optional: false));
        }

        blocks.Add(Input(SlackActions.NoteInput, "Note (kept with the decision)", null, optional: true));
        var metadata = new JsonObject { ["caseId"] = notice.CaseId, ["channel"] = channel, ["ts"] = ts };
        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = SlackActions.EditView,
            ["title"] = PlainText("Edit the proposal"),
            ["submit"] = PlainText("Approve edited"),
            ["close"] = PlainText("Cancel"),
            ["private_metadata"] = metadata.ToJsonString(),
            ["blocks"] = blocks,
        }.ToJsonString();
    }

    /// <summary>
    /// A modal that only says something (the answer to a submission that decided nothing: already decided, not
    /// allowed), for <c>response_action: update</c>.
    /// </summary>
    public static string InfoModal(string title, string text)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(text);
        return new JsonObject
        {
            ["type"] = "modal",
            ["title"] = PlainText(SlackText.Cut(title, ModalTitleMax)),
            ["close"] = PlainText("Close"),
            ["blocks"] = new JsonArray { new JsonObject { ["type"] = "section", ["text"] = PlainText(SlackText.Cut(text, SectionMax)) } },
        }.ToJsonString();
    }

    internal static string ArgumentsText(ToolCall action) =>
        action.Arguments.ValueKind == JsonValueKind.Object ? JsonSerializer.Serialize(action.Arguments, Indented) : "{}";

    private static JsonObject Input(string blockId, string label, string? initial, bool optional)
    {
        var element = new JsonObject
        {
            ["type"] = "plain_text_input",
            ["action_id"] = SlackActions.InputValue,
            ["multiline"] = true,
            ["max_length"] = InputMax,
        };
        if (!string.IsNullOrEmpty(initial))
        {
            element["initial_value"] = initial;
        }

        return new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = blockId,
            ["label"] = PlainText(label),
            ["optional"] = optional,
            ["element"] = element,
        };
    }
}
