using System.Threading.Channels;

namespace Handoff.Server.Routing;

/// <summary>
/// Tells the routing worker that a workspace may have work to route: a case was created, changed or freed someone's
/// capacity, or a person's presence changed. It carries no data — the worker reads the store — so a lost or doubled
/// signal costs at most a pass, never a wrong offer. The worker also sweeps every workspace it has heard of on a timer.
/// </summary>
internal sealed class RoutingSignal
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Poke(string workspaceId) => _channel.Writer.TryWrite(workspaceId);

    internal ChannelReader<string> Reader => _channel.Reader;
}
