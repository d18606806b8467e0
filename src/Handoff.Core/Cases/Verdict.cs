namespace Handoff.Core.Cases;

/// <summary>What a decision says about the proposal.</summary>
public enum Verdict
{
    /// <summary>Go ahead with the proposal unchanged.</summary>
    Approve,
    /// <summary>Go ahead with changed text or tool arguments.</summary>
    Edit,
    /// <summary>Go ahead with one of the alternatives (<c>options</c>).</summary>
    Choose,
    /// <summary>Do not go ahead.</summary>
    Reject,
    /// <summary>Send the person's own answer instead.</summary>
    Respond,
    /// <summary>
    /// The person who took the conversation over gives it back: the agent resumes with the whole transcript;
    /// <see cref="Decision.Text"/> is the person's note to it. Only through a handback, never a plain decision.
    /// </summary>
    HandBack,
}
