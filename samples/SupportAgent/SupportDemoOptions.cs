namespace Handoff.Samples.SupportAgent;

/// <summary>How busy the demo's customers are.</summary>
public sealed class SupportDemoOptions
{
    /// <summary>Conversations started at once. <value>The default value is 12.</value></summary>
    public int Burst { get; set; } = 12;

    /// <summary>The pause before each further conversation. <value>The default value is 20 seconds.</value></summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>No new conversation starts while this many wait on a person. <value>The default value is 25.</value></summary>
    public int MaxWaiting { get; set; } = 25;

    /// <summary>
    /// Cases an earlier run of the agent submitted that still wait on a person: the agent waits on them again and acts
    /// when they are decided. <value>The default value is none.</value>
    /// </summary>
    public IReadOnlyList<string> Resume { get; set; } = [];
}
