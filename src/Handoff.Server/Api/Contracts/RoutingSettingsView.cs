using Handoff.Storage;

namespace Handoff.Server.Api.Contracts;

/// <summary>A workspace's routing settings; <see cref="AwayAfter"/> in seconds.</summary>
public sealed record RoutingSettingsView(int QueuedWeight, int LiveWeight, double AwayAfter)
{
    public static RoutingSettingsView From(RoutingSettings settings) => new(settings.QueuedWeight, settings.LiveWeight, settings.AwayAfter.TotalSeconds);
}
