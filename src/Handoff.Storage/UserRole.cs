namespace Handoff.Storage;

/// <summary>What a dashboard user may do; stored as its lowercase name.</summary>
public enum UserRole
{
    Reviewer,
    Supervisor,
    Admin,
}
