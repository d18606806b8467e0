namespace Handoff.Storage;

/// <summary>Changes to a user; null fields stay as they are.</summary>
public sealed record UserChanges
{
    public string? Name { get; init; }

    public UserRole? Role { get; init; }

    public IReadOnlyList<string>? Teams { get; init; }

    public string? PasswordHash { get; init; }

    /// <summary>True disables the user (from now on, unless already disabled); false enables them again.</summary>
    public bool? Disabled { get; init; }

    public IReadOnlyList<string>? Skills { get; init; }

    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>1..<see cref="User.MaxCapacity"/>.</summary>
    public int? Capacity { get; init; }

    /// <summary>What the person wants to be told, and when.</summary>
    public Core.Notifications.NotificationPreferences? Notifications { get; init; }
}
