namespace Handoff.Storage;

/// <summary>
/// How much open work a person may hold: <see cref="Capacity"/> units, where a queued case weighs
/// <see cref="QueuedWeight"/> and a live conversation <see cref="LiveWeight"/>.
/// </summary>
public sealed record CapacityLimit(int Capacity, int QueuedWeight, int LiveWeight);
