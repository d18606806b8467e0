namespace Handoff.Storage;

/// <summary>
/// A dashboard account, and the person's routing profile (<see cref="Skills"/>, <see cref="Languages"/>,
/// <see cref="Capacity"/>). <see cref="PasswordHash"/> is produced by the caller (ASP.NET Core's <c>PasswordHasher</c>);
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
    DateTimeOffset? DisabledAt)
{
    /// <summary>How many cases a person holds at once when nobody said otherwise: 5 queued cases.</summary>
    public const int DefaultCapacity = 5;

    /// <summary>The largest capacity; more open cases than this at once is not one person's work.</summary>
    public const int MaxCapacity = 100;

    /// <summary>What the person can handle (lowercase tokens, <c>refunds</c>); a case that needs a skill goes only to people who have it.</summary>
    public IReadOnlyList<string> Skills { get; init; } = [];

    /// <summary>The languages the person works in (lowercase BCP 47 tags, <c>en</c>, <c>pt-br</c>).</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>
    /// How much open work the person takes at once, counted in the workspace's weights (a queued case 1, a live
    /// conversation 3 by default; see <see cref="RoutingSettings"/>). 1..<see cref="MaxCapacity"/>; the default value is 5.
    /// </summary>
    public int Capacity { get; init; } = DefaultCapacity;

    /// <summary>What the person wants to be told and when; null while they keep the defaults.</summary>
    public Core.Notifications.NotificationPreferences? Notifications { get; init; }

    /// <summary>Their preferences, the defaults when they set none.</summary>
    public Core.Notifications.NotificationPreferences NotificationsOrDefault => Notifications ?? Core.Notifications.NotificationPreferences.Default;
}
