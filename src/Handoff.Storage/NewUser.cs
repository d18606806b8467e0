namespace Handoff.Storage;

/// <summary>A user to add; the store assigns the id and the creation time. The routing profile defaults as on <see cref="User"/>.</summary>
public sealed record NewUser(string WorkspaceId, string Email, string Name, UserRole Role, IReadOnlyList<string> Teams, string PasswordHash)
{
    public IReadOnlyList<string> Skills { get; init; } = [];

    public IReadOnlyList<string> Languages { get; init; } = [];

    public int Capacity { get; init; } = User.DefaultCapacity;
}
