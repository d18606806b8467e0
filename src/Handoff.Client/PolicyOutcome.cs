namespace Handoff.Client;

/// <summary>What the server's policy decided when the case was submitted.</summary>
public enum PolicyOutcome
{
    /// <summary>Approved at once by the policy; the case already carries its decision.</summary>
    Auto,

    /// <summary>A person reviews it.</summary>
    Review,

    /// <summary>A person reviews it with raised priority.</summary>
    Escalate,

    /// <summary>Refused at once by the policy; the case already carries its (reject) decision.</summary>
    Block,
}
