namespace Handoff.Storage.Outbox;

public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being attempted: leased to a node until its next attempt time).</summary>
    Pending,
    /// <summary>The destination took it.</summary>
    Delivered,
    /// <summary>Given up after its last attempt, or its endpoint was disabled: a dead letter, kept to be replayed.</summary>
    Failed,
    /// <summary>Its endpoint was removed; never sent.</summary>
    Cancelled,
}
