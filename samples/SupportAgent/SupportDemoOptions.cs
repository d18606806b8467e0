namespace Handoff.Samples.SupportAgent;

/// <summary>How busy the demo's customers are. Checked by <see cref="Problem"/> before use.</summary>
public sealed class SupportDemoOptions
{
    /// <summary>Conversations started at once, from 0 to 1,000. <value>The default value is 12.</value></summary>
    public int Burst { get; set; } = 12;

    /// <summary>The pause before each further conversation, at least a second. <value>The default value is 20 seconds.</value></summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>No new conversation starts while this many wait on a person; at least 1. <value>The default value is 25.</value></summary>
    public int MaxWaiting { get; set; } = 25;

    /// <summary>
    /// Cases an earlier run of the agent submitted that still wait on a person: the agent waits on them again and acts
    /// when they are decided. <value>The default value is none.</value>
    /// </summary>
    public IReadOnlyList<string> Resume { get; set; } = [];

    /// <summary>What is wrong with these options, or null when they can be used.</summary>
    public string? Problem()
    {
        // Each conversation of the burst is a case at once: a thousand already buries a dashboard, more is a mistake.
        if (Burst is < 0 or > 1000)
        {
            return "SupportDemoOptions.Burst must be from 0 to 1000.";
        }

        // Below a second the demo is a load generator, and a zero interval would spin without ever pausing.
        if (Interval < TimeSpan.FromSeconds(1))
        {
            return "SupportDemoOptions.Interval must be at least 1 second.";
        }

        if (MaxWaiting < 1)
        {
            return "SupportDemoOptions.MaxWaiting must be at least 1.";
        }

        return Resume is null ? "SupportDemoOptions.Resume must not be null." : null;
    }
}
