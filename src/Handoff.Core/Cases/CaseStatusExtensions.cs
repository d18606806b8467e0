namespace Handoff.Core.Cases;

public static class CaseStatusExtensions
{
    /// <summary>True while a person can still claim or decide the case.</summary>
    public static bool IsOpen(this CaseStatus status) =>
        status is CaseStatus.Pending or CaseStatus.Assigned or CaseStatus.Escalated or CaseStatus.TakenOver;
}
