namespace Handoff.Samples.SupportAgent;

/// <summary>Who the agent is talking to; <paramref name="Returning"/> earns more autonomy under the demo policy.</summary>
public sealed record Customer(string Id, string Name, bool Returning = false, string? Tier = null)
{
    public string FirstName => Name.Split(' ', 2)[0];
}
