using System.Collections.Concurrent;
using Handoff.Client;
using Microsoft.Extensions.Logging;

namespace Handoff.Samples.SupportAgent.Shop;

/// <summary>
/// A stand-in for the shop's real systems: it sends nothing and refunds nobody; it logs what the agent does and
/// remembers it, so a demo shows the decision's effect and a test can check it.
/// </summary>
public sealed partial class SimulatedShop(ILogger<SimulatedShop> logger) : IShop
{
    private readonly ConcurrentQueue<ShopEffect> _effects = new();

    /// <summary>Everything done so far, oldest first.</summary>
    public IReadOnlyCollection<ShopEffect> Effects => _effects;

    public Task SendAsync(Conversation conversation, string text, CancellationToken cancellationToken)
    {
        _effects.Enqueue(new ShopEffect(conversation.Id, text, null));
        LogSent(logger, conversation.Customer.Name, text);
        return Task.CompletedTask;
    }

    public Task RunAsync(Conversation conversation, ToolCall call, CancellationToken cancellationToken)
    {
        _effects.Enqueue(new ShopEffect(conversation.Id, null, call));
        LogRan(logger, call.Name, call.Arguments?.ToJsonString() ?? "{}", conversation.Customer.Name);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "To {Customer}: {Text}")]
    private static partial void LogSent(ILogger logger, string customer, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ran {Tool} {Arguments} for {Customer}")]
    private static partial void LogRan(ILogger logger, string tool, string arguments, string customer);
}
