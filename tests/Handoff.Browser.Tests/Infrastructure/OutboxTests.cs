namespace Handoff.Browser.Tests.Infrastructure;

/// <summary>
/// The tests that lease the shared server's outbox by hand. A lease takes whatever is due in every workspace, so two
/// of them side by side would take each other's deliveries: they run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OutboxTests
{
    public const string Name = "outbox";
}
