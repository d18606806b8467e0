using Handoff.Client;

namespace Handoff.Samples.SupportAgent.Shop;

/// <summary>The shop's systems the agent acts on: the customer channel and the tools (refunds, cancellations, …).</summary>
public interface IShop
{
    /// <summary>Sends <paramref name="text"/> to the customer of <paramref name="conversation"/>.</summary>
    Task SendAsync(Conversation conversation, string text, CancellationToken cancellationToken);

    /// <summary>Runs a tool call the agent was allowed to make.</summary>
    Task RunAsync(Conversation conversation, ToolCall call, CancellationToken cancellationToken);
}
