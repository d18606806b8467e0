namespace Handoff.Storage;

/// <summary>
/// A dashboard account. <see cref="PasswordHash"/> is produced by the caller (ASP.NET Core's <c>PasswordHasher</c>);
/// the store never sees a password and never writes the hash to the audit log.
/// </summary>
/// <param name="Email">As given when the user was added; unique across the store regardless of case.</param>
/// <param name="Teams">The teams whose cases the user works on.</param>
/// <param name="DisabledAt">When the user was disabled; null while the user may sign in.</param>
public sealed record User(
    string Id,
    string WorkspaceId,
    string Email,
    string Name,
    UserRole Role,
    IReadOnlyList<string> Teams,
    string PasswordHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt);
