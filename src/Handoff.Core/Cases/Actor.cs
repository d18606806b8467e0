namespace Handoff.Core.Cases;

/// <summary>Who did something: an API key (agent, reviewer, admin), the CLI, or the system itself (timers).</summary>
public sealed record Actor(string Kind, string Id, string Name)
{
    public static readonly Actor System = new("system", "system", "Handoff");

    public static Actor Cli(string name) => new("cli", "cli", name);
}
