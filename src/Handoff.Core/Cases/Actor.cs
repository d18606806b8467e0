namespace Handoff.Core.Cases;

/// <summary>Who did something: an API key (agent, reviewer, admin), the CLI, or the system itself (timers).</summary>
public sealed record Actor(string Kind, string Id, string Name)
{
    /// <summary>The <see cref="Kind"/> of Handoff itself: timers, start-up, lockouts.</summary>
    public const string SystemKind = "system";

    /// <summary>The <see cref="Kind"/> the policy decides as, when it approves an auto case or blocks one.</summary>
    public const string PolicyKind = "policy";

    /// <summary>The <see cref="Kind"/> of a person signed in to the dashboard; their claims last only while they are seen there.</summary>
    public const string UserKind = "user";

    public static readonly Actor System = new(SystemKind, "system", "Handoff");

    /// <summary>Whether this is a person signed in to the dashboard (rather than an API key, the CLI or the system).</summary>
    /// <remarks>A method, not a property: an actor's JSON (in case documents, the API, the audit) is its kind, id and name only.</remarks>
    public bool IsDashboardUser() => Kind == UserKind;

    public static Actor Cli(string name) => new("cli", "cli", name);

    /// <summary>
    /// Whether a person stands behind this actor — a dashboard user, a reviewer's or admin's key, the CLI — rather
    /// than Handoff or its policy. The statistics count only people's decisions; the stores ask the same of the
    /// stored kind, by <see cref="SystemKind"/> and <see cref="PolicyKind"/>.
    /// </summary>
    public bool IsPerson() => Kind is not (SystemKind or PolicyKind);
}
