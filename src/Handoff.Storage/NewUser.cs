namespace Handoff.Storage;

/// <summary>A user to add; the store assigns the id and the creation time.</summary>
public sealed record NewUser(string WorkspaceId, string Email, string Name, UserRole Role, IReadOnlyList<string> Teams, string PasswordHash);
