namespace Handoff.Core.Cases;

/// <summary>Who did something: an API key (agent, reviewer, admin), the CLI, or the system itself (timers).</summary>
public sealed record Actor(string Kind, string Id, string Name)
{
    /// <summary>The kind of a person signed in to the dashboard; their claims last only while they are seen there.</summary>
    public const string PersonKind = "user";

    public static readonly Actor System = new("system", "system", "Handoff");

    /// <summary>Whether this is a person signed in to the dashboard (rather than an API key, the CLI or the system).</summary>
    /// <remarks>A method, not a property: an actor's JSON (in case documents, the API, the audit) is its kind, id and name only.</remarks>
    public bool IsPerson() => Kind == PersonKind;

    public static Actor Cli(string name) => new("cli", "cli", name);
}
