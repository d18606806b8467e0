namespace Handoff.Core.Notifications.Slack;

/// <summary>
/// The identifiers Handoff's Slack messages and modal carry, which Slack sends back in its interaction payloads: a
/// button's <c>action_id</c> says what was pressed and its <c>value</c> is the case id; the edit modal's
/// <c>callback_id</c> and input <c>block_id</c>s say what was submitted.
/// </summary>
public static class SlackActions
{
    public const string Approve = "handoff.approve";
    public const string Reject = "handoff.reject";
    /// <summary>Opens the edit modal (<see cref="SlackMessages.EditModal"/>).</summary>
    public const string Edit = "handoff.edit";
    /// <summary>The "Open in Handoff" link button: Slack opens the link and also tells the app, which has nothing to do.</summary>
    public const string Open = "handoff.open";

    /// <summary>The <c>block_id</c> of a message's buttons.</summary>
    public const string ActionsBlock = "handoff.actions";

    /// <summary>The edit modal's <c>callback_id</c>.</summary>
    public const string EditView = "handoff.edit";

    /// <summary>The edit modal's input for the reply text.</summary>
    public const string TextInput = "handoff.text";

    /// <summary>The edit modal's input for the tool call's arguments (a JSON object).</summary>
    public const string ArgumentsInput = "handoff.arguments";

    /// <summary>The edit modal's input for the note kept with the decision.</summary>
    public const string NoteInput = "handoff.note";

    /// <summary>The <c>action_id</c> of the element inside each of the modal's input blocks.</summary>
    public const string InputValue = "value";
}
