namespace Handoff.Core.Routing;

/// <summary>
/// Whether a person may be given a case, and if not the first reason why, in the order routing checks them — the
/// explanation a supervisor's board shows beside each member ("why not Rita?").
/// </summary>
public enum Eligibility
{
    /// <summary>May be given the case.</summary>
    Eligible,
    /// <summary>Away or offline (push only: a person asking for the next case is working).</summary>
    NotOnline,
    /// <summary>Already declined this case, or let its offer time out.</summary>
    AlreadyOffered,
    /// <summary>Taking the case would put the person over capacity.</summary>
    NoCapacity,
    /// <summary>Lacks a required skill.</summary>
    MissingSkill,
    /// <summary>Does not speak the case's language.</summary>
    MissingLanguage,
}
