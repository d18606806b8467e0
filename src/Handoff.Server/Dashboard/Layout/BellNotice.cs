namespace Handoff.Server.Dashboard.Layout;

/// <summary>One line of the bell's panel.</summary>
/// <param name="DeliveryId">The dashboard delivery it comes from.</param>
/// <param name="Headline">What happened: "SLA at risk", "Taken by Ana Lima".</param>
/// <param name="Title">Which case (its summary), or what else it is about.</param>
/// <param name="Link">Where it leads (the case's page), or null when nowhere safe to go.</param>
/// <param name="At">When the event happened, shown as "3m ago".</param>
/// <param name="Added">When the delivery was made: the bell's read/unread mark compares this, in the store's clock only.</param>
internal sealed record BellNotice(string DeliveryId, string Headline, string Title, string? Link, DateTimeOffset At, DateTimeOffset Added);
