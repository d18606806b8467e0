using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Core.Notifications.Slack;

/// <summary>The case an edit modal is about, and the message whose button opened it (null when unknown).</summary>
public sealed record SlackEditTarget(string CaseId, string? Channel, string? Ts);

/// <summary>
/// What a submitted edit modal asks for: the decision, or, when an input is wrong, the problem under each input's
/// <c>block_id</c> (what Slack's <c>response_action: errors</c> shows beside the input).
/// </summary>
public sealed record SlackEdit(DecisionRequest? Request, IReadOnlyDictionary<string, string> Errors);

/// <summary>Reads the <c>view</c> of a <c>view_submission</c> of <see cref="SlackMessages.EditModal"/>. Pure; thread-safe.</summary>
public static class SlackEdits
{
    /// <summary>The case and message the modal is about, from its <c>private_metadata</c>; null when it is not one of Handoff's edit modals.</summary>
    public static SlackEditTarget? Target(JsonElement view)
    {
        if (view.ValueKind != JsonValueKind.Object
            || Text(view, "callback_id") != SlackActions.EditView
            || Text(view, "private_metadata") is not { } metadata)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(metadata);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && Text(root, "caseId") is { Length: > 0 } caseId
                ? new SlackEditTarget(caseId, Text(root, "channel"), Text(root, "ts"))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The decision the submitted inputs ask for on <paramref name="proposal"/>: <see cref="Verdict.Edit"/> with what
    /// changed (the text, the arguments, or both), or <see cref="Verdict.Approve"/> when nothing did; the note goes
    /// with either. Arguments that are not a JSON object, or an emptied reply, are errors instead.
    /// </summary>
    public static SlackEdit Read(JsonElement view, Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        string? text = null;
        if (proposal.Text is not null)
        {
            text = Input(view, SlackActions.TextInput);
            if (string.IsNullOrWhiteSpace(text))
            {
                errors[SlackActions.TextInput] = "Write the reply, or reject the case instead.";
            }
        }

        JsonElement arguments = default;
        if (proposal.Action is not null)
        {
            arguments = Arguments(Input(view, SlackActions.ArgumentsInput), out var problem);
            if (problem is not null)
            {
                errors[SlackActions.ArgumentsInput] = problem;
            }
        }

        if (errors.Count > 0)
        {
            return new SlackEdit(null, errors);
        }

        var note = Input(view, SlackActions.NoteInput) is { } written && !string.IsNullOrWhiteSpace(written) ? written.Trim() : null;
        // Slack may hand back line endings other than the proposal's own: that is not an edit.
        var textChanged = text is not null && text.ReplaceLineEndings("\n") != proposal.Text!.ReplaceLineEndings("\n");
        var argumentsChanged = proposal.Action is { } action && !JsonElement.DeepEquals(arguments, Original(action));
        if (!textChanged && !argumentsChanged)
        {
            return new SlackEdit(new DecisionRequest(Verdict.Approve, Note: note), errors);
        }

        return new SlackEdit(new DecisionRequest(Verdict.Edit, textChanged ? text : null, argumentsChanged ? arguments : default, Note: note), errors);
    }

    private static readonly JsonElement NoArguments = JsonElement.Parse("{}");

    // A tool call without arguments is edited from "{}", and left so it is unchanged.
    private static JsonElement Original(ToolCall action) => action.Arguments.ValueKind == JsonValueKind.Object ? action.Arguments : NoArguments;

    private static JsonElement Arguments(string? json, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            problem = "Give the arguments as a JSON object, like {\"amount\": 900}.";
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "The arguments must be a JSON object, like {\"amount\": 900}.";
                return default;
            }

            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problem = $"Not valid JSON (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}).";
            return default;
        }
    }

    // state.values[block_id][action_id].value: null when the person emptied the input.
    private static string? Input(JsonElement view, string blockId) =>
        view.ValueKind == JsonValueKind.Object
        && view.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.Object
        && state.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object
        && values.TryGetProperty(blockId, out var block) && block.ValueKind == JsonValueKind.Object
        && block.TryGetProperty(SlackActions.InputValue, out var element) && element.ValueKind == JsonValueKind.Object
            ? Text(element, "value")
            : null;

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
