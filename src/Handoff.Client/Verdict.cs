namespace Handoff.Client;

/// <summary>What was decided about a case.</summary>
public enum Verdict
{
    /// <summary>The proposal as it was: <see cref="Decision.Result"/> is the proposal.</summary>
    Approve,

    /// <summary>The proposal with a person's changes: <see cref="Decision.Result"/> is the edited proposal.</summary>
    Edit,

    /// <summary>One of the alternatives: <see cref="Decision.Result"/> is <c>options[</c><see cref="Decision.Option"/><c>]</c>.</summary>
    Choose,

    /// <summary>Don't: <see cref="Decision.Text"/> is the reason, and there is no result.</summary>
    Reject,

    /// <summary>A person answered in their own words: <see cref="Decision.Text"/> is the answer.</summary>
    Respond,

    /// <summary>
    /// The person who took the conversation over handed it back: <see cref="Decision.Text"/> is their note to the
    /// agent, and there is no result to execute.
    /// </summary>
    HandBack,
}
