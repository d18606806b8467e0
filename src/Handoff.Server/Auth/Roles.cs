namespace Handoff.Server.Auth;

/// <summary>Authorization policy names. Admin keys pass every policy; reviewers and agents only their own.</summary>
internal static class Roles
{
    public const string Agent = "agent";
    public const string Reviewer = "reviewer";
    public const string Admin = "admin";
    public const string Any = "any";
}
