namespace Handoff.Storage;

/// <summary>What an API key may do. Admin can do everything a reviewer can.</summary>
public enum ApiKeyRole
{
    Agent,
    Reviewer,
    Admin,
}
